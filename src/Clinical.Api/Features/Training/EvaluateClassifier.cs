using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Evaluation;
using Clinical.Models.Runtime;
using Clinical.Models.Training.Baselines;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Training;

/// <summary>
/// Measure a classifier folder (at its stored threshold) or a rule baseline on labelled notes, optionally writing an
/// HTML report.
/// </summary>
public sealed record EvaluateClassifier(
    string? Model,
    string? Baseline,
    string Data,
    string? Report,
    string Device = "auto",
    int GapDays = WeakLabels.DefaultGapDays
) : IRequest<Evaluation>;

/// <summary>The metrics, what was measured, and where the report went.</summary>
public sealed record Evaluation(string Subject, EvaluationMetrics Metrics, string? ReportPath);

public sealed class EvaluateClassifierValidator : AbstractValidator<EvaluateClassifier>
{
    public const string Keyword = "keyword";
    public const string Negation = "negation";

    public EvaluateClassifierValidator()
    {
        RuleFor(r => r)
            .Must(r => (r.Model is null) != (r.Baseline is null))
            .WithMessage("Give exactly one of --model DIR or --baseline keyword|negation.");
        RuleFor(r => r.Model)
            .Must(Directory.Exists!)
            .When(r => r.Model is not null)
            .WithMessage(r => $"--model {r.Model}: no such folder.");
        RuleFor(r => r.Baseline)
            .Must(b => b is Keyword or Negation)
            .When(r => r.Baseline is not null)
            .WithMessage(r => $"--baseline '{r.Baseline}' is not keyword or negation.");
        RuleFor(r => r.Data)
            .Must(p => File.Exists(p) || Directory.Exists(p))
            .WithMessage(r => $"--data {r.Data}: no such file or folder.");
    }
}

public sealed class EvaluateClassifierHandler(
    FhirInputReader reader,
    BulkExportReader bulkReader,
    PatientRecordExtractor extractor
) : IRequestHandler<EvaluateClassifier, Evaluation>
{
    private readonly TrainingInputs inputs = new(new WeakLabels(reader, bulkReader, extractor));

    public ValueTask<Evaluation> Handle(EvaluateClassifier request, CancellationToken cancellationToken)
    {
        var (notes, _, _) = inputs.Load(request.Data, request.GapDays, cancellationToken);
        if (notes.Count == 0)
            throw new ArgumentException($"--data {request.Data} holds no labelled notes.");
        List<ScoredNote> cases;
        double threshold;
        string subject;
        if (request.Model is { } model)
        {
            using var classifier = NoteScoring.Load(model, TrainingInputs.Device(request.Device));
            cases = notes
                .Zip(
                    NoteScoring.Stream(classifier, notes.Select(n => n.Text)),
                    (note, score) => new ScoredNote(note, score.Probability)
                )
                .ToList();
            threshold = classifier.Calibration.Threshold;
            subject = $"model {Path.GetFullPath(model)}";
        }
        else
        {
            Func<string, double> rule =
                request.Baseline == EvaluateClassifierValidator.Keyword ? KeywordBaseline.Score : NegationRule.Score;
            cases = notes.Select(n => new ScoredNote(n, rule(n.Text))).ToList();
            threshold = 0.5;
            subject = $"{request.Baseline} baseline";
        }
        var metrics = EvaluationMetrics.Compute(
            cases.Select(c => c.Note.Label).ToList(),
            cases.Select(c => c.Probability).ToList(),
            threshold
        );
        var report = request.Report is { } directory
            ? EvaluationReport.Write(directory, subject, metrics, cases)
            : null;
        return ValueTask.FromResult(new Evaluation(subject, metrics, report));
    }
}
