using Clinical.Models.Evaluation;
using Clinical.Models.Runtime;
using Clinical.Models.Training.Baselines;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Training;

/// <summary>
/// Measure a classifier folder (at its stored threshold) or a rule baseline on labelled notes, overall and by
/// subgroup, optionally at deployment prevalences (a prior shift from the prevalence the card records, or
/// CalibratedAt), optionally writing an HTML report.
/// </summary>
public sealed record EvaluateClassifier(
    string? Model,
    string? Baseline,
    string Data,
    string? Report,
    string Device = "auto",
    int GapDays = WeakLabels.DefaultGapDays,
    IReadOnlyList<double>? Prevalences = null,
    double? CalibratedAt = null
) : IRequest<Evaluation>;

/// <summary>The metrics, what was measured, the subgroups, the figures at each prevalence, and the report.</summary>
public sealed record Evaluation(
    string Subject,
    EvaluationMetrics Metrics,
    SubgroupTable Subgroups,
    IReadOnlyList<PrevalenceEstimate> AtPrevalence,
    string? ReportPath
);

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

public sealed class EvaluateClassifierHandler(TrainingInputs inputs) : IRequestHandler<EvaluateClassifier, Evaluation>
{
    public ValueTask<Evaluation> Handle(EvaluateClassifier request, CancellationToken cancellationToken)
    {
        var calibratedAt = request.Prevalences is { Count: > 0 }
            ? CalibratedPrevalence.Choose(
                request.CalibratedAt,
                request.Model is { } folder ? CalibratedPrevalence.OfNoteClassifier(folder) : null,
                request.Model is null ? $"the {request.Baseline} baseline" : "the model"
            )
            : null;
        var (notes, subgroups) = inputs.LoadWithSubgroups(request.Data, request.GapDays, cancellationToken);
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
        var labels = cases.Select(c => c.Note.Label).ToList();
        var probabilities = cases.Select(c => c.Probability).ToList();
        var metrics = EvaluationMetrics.Compute(labels, probabilities, threshold);
        var table = SubgroupTable.Compute(labels, probabilities, threshold, subgroups);
        var atPrevalence = calibratedAt is null
            ? []
            : request
                .Prevalences!.Select(p => PrevalenceEstimate.Compute(labels, probabilities, threshold, p, calibratedAt))
                .ToList();
        var report = request.Report is { } directory
            ? EvaluationReport.Write(directory, subject, metrics, cases, table, atPrevalence)
            : null;
        return ValueTask.FromResult(new Evaluation(subject, metrics, table, atPrevalence, report));
    }
}
