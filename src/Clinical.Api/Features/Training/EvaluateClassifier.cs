using Clinical.Fhir.Extraction;
using Clinical.Fhir.Notes;
using Clinical.Fhir.Parsing;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Evaluation;
using Clinical.Models.Runtime;
using Clinical.Models.Training.Baselines;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Training;

/// <summary>
/// Measure a classifier folder (at its stored threshold) or a rule baseline on labelled notes, overall and by
/// subgroup, optionally at deployment prevalences (a prior shift from the prevalence the card records, or
/// CalibratedAt), optionally writing an HTML report. A classifier is also measured per note language (detected), and
/// with models by language (LANG → folder) each note is scored by its language's model, Model reading the rest; the
/// overall figures then use Model's threshold and each language's figures its own model's.
/// </summary>
public sealed record EvaluateClassifier(
    string? Model,
    string? Baseline,
    string Data,
    string? Report,
    string Device = "auto",
    int GapDays = WeakLabels.DefaultGapDays,
    IReadOnlyList<double>? Prevalences = null,
    double? CalibratedAt = null,
    IReadOnlyDictionary<string, string>? ModelsByLanguage = null
) : IRequest<Evaluation>;

/// <summary>
/// The metrics, what was measured, the subgroups, the figures at each prevalence, and the report; per language (with
/// both classes) when a model was measured, and the folder that read each language.
/// </summary>
public sealed record Evaluation(
    string Subject,
    EvaluationMetrics Metrics,
    SubgroupTable Subgroups,
    IReadOnlyList<PrevalenceEstimate> AtPrevalence,
    string? ReportPath
)
{
    public IReadOnlyDictionary<string, LanguageEvaluation> ByLanguage { get; init; } =
        new Dictionary<string, LanguageEvaluation>();
}

/// <summary>One note language's figures and the classifier folder that scored its notes.</summary>
public sealed record LanguageEvaluation(string Model, EvaluationMetrics Metrics);

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
        RuleFor(r => r.ModelsByLanguage)
            .Must(m => m is null || m.Count == 0)
            .When(r => r.Model is null)
            .WithMessage("--note-model-for needs --model (the default model for the other languages).");
        RuleForEach(r => r.ModelsByLanguage)
            .Must(kv => Directory.Exists(kv.Value))
            .WithMessage((_, kv) => $"--note-model-for {kv.Key}={kv.Value}: no such folder.");
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
        var byLanguage = new Dictionary<string, LanguageEvaluation>(StringComparer.Ordinal);
        if (request.Model is { } model)
        {
            using var models = NoteModels.Load(
                model,
                request.ModelsByLanguage ?? new Dictionary<string, string>(),
                TrainingInputs.Device(request.Device)
            );
            var languages = notes.Select(n => LanguageDetector.Detect(n.Text).Language).ToList();
            var scores = notes
                .Select((n, i) => (n.Text, (string?)languages[i]))
                .Chunk(NoteScoring.ChunkNotes)
                .SelectMany(chunk => models.Classify(chunk))
                .ToList();
            cases = notes.Select((note, i) => new ScoredNote(note, scores[i]!.Probability)).ToList();
            threshold = models.Default!.Calibration.Threshold;
            subject = $"model {Path.GetFullPath(model)}";
            if (models.Languages.Count > 0)
                subject += $" ({models.Describe()})";
            foreach (var language in languages.Distinct().Order(StringComparer.Ordinal))
            {
                var group = cases.Where((_, i) => languages[i] == language).ToList();
                if (group.Select(c => c.Note.Label).Distinct().Count() < 2)
                    continue;
                var reader = models.For(language)!;
                byLanguage[language] = new LanguageEvaluation(
                    models.Names[reader],
                    EvaluationMetrics.Compute(
                        group.Select(c => c.Note.Label).ToList(),
                        group.Select(c => c.Probability).ToList(),
                        reader.Calibration.Threshold
                    )
                );
            }
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
        return ValueTask.FromResult(
            new Evaluation(subject, metrics, table, atPrevalence, report) { ByLanguage = byLanguage }
        );
    }
}
