using System.Globalization;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Scoring.Evidence;
using Clinical.Models.Tabular;

namespace Clinical.Models.Scoring;

/// <summary>
/// The HF risk engine: guideline evidence (always), the tabular model and the note classifier (each when
/// loaded) stacked into one calibrated probability with its qualitative level, ranked evidence, a Spanish
/// explanation and what is missing. An active confirmed HF diagnosis short-circuits to certain.
/// Thread-safe: the tabular model rents pooled engines, and the note classifier runs one call at a time.
/// </summary>
public sealed class RiskEngine(TabularModel? tabular, NoteClassifier? notes, StackedCombiner combiner) : IDisposable
{
    public const string Name = "hf-risk-engine";
    public const string Version = "1.0.0";
    public const int MaxFindings = 25;
    private readonly Lock _notesLock = new();

    public TabularModel? Tabular { get; } = tabular;

    public NoteClassifier? Notes { get; } = notes;

    public StackedCombiner Combiner { get; } = combiner;

    public static RiskEngine RulesOnly() => new(null, null, StackedCombiner.Default);

    /// <summary>
    /// Each component's own probability and the note classifier's driving note, before the combination.
    /// </summary>
    public (ComponentProbabilities Probabilities, Finding? NoteFinding) Components(
        RiskInput input,
        GuidelineEvidence evidence
    )
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(evidence);
        double? tabularProbability = Tabular?.Predict(TabularFeatures.Build(input, evidence));
        double? notesProbability = null;
        Finding? noteFinding = null;
        var recent = evidence.Signs.Notes.Select(n => n.Note).ToList();
        if (Notes is not null && recent.Count > 0)
        {
            PatientScore score;
            lock (_notesLock)
                score = Notes.ClassifyPatient(recent.Select(n => n.Text).ToList());
            notesProbability = score.Probability;
            var note = recent[score.DrivingNote.NoteIndex];
            var span = score.DrivingNote.DrivingWindow.Window.Span;
            noteFinding = new Finding(
                note.Source,
                $"Clasificador de notas: probabilidad {score.Probability.ToString("0.00", SpanishText.Culture)}, "
                    + $"sobre todo por la nota{SpanishText.DateSuffix(note.When)}",
                note.When
            )
            {
                Weight = LogisticFit.Logit(score.Probability),
                SpanStart = span.Start,
                SpanLength = span.Length,
            };
        }
        return (
            new ComponentProbabilities(evidence.Probability, tabularProbability, notesProbability)
            {
                RecentPeptide = !evidence.LowConfidence,
            },
            noteFinding
        );
    }

    public RiskEstimate Assess(RiskInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.HeartFailureDiagnoses.Count > 0)
            return KnownHeartFailure(input);

        var evidence = GuidelineEvidence.Assess(input);
        var (components, noteFinding) = Components(input, evidence);
        var probability = Combiner.Combine(components);
        var category = Combiner.Categorise(probability);
        var lowConfidence = evidence.LowConfidence && category is RiskCategory.Low or RiskCategory.Negligible;
        if (lowConfidence)
            category = RiskCategory.Low;

        var findings = evidence.Findings.ToList();
        if (noteFinding is not null)
            findings.Add(noteFinding);
        findings = findings
            .OrderByDescending(f => Math.Abs(f.Weight))
            .ThenByDescending(f => f.When ?? DateTimeOffset.MinValue)
            .Take(MaxFindings)
            .ToList();

        var explanation =
            $"Riesgo {Spanish(category)} ({probability.ToString("P1", SpanishText.Culture)}): "
            + $"{string.Join("; ", evidence.Summary)}.";
        if (components.Notes is { } n)
            explanation += $" Clasificador de notas: {n.ToString("0.00", SpanishText.Culture)}.";
        if (lowConfidence)
            explanation +=
                " Confianza baja: faltan datos para descartar insuficiencia cardiaca; "
                + "no es un resultado tranquilizador.";
        var rationale = string.Create(
            CultureInfo.InvariantCulture,
            $"Stacked {components.Pattern} "
                + $"({(Combiner.IsFitted(components) ? "fitted on dev" : "documented default")}), "
                + $"calibrated p={probability:0.000}; components: rules={components.Rules:0.000}; "
                + $"tabular={Show(components.Tabular)}; notes={Show(components.Notes)}; "
                + $"thresholds moderate>={Combiner.Thresholds.Moderate:0.000}, "
                + $"high>={Combiner.Thresholds.High:0.000}"
                + $"{(lowConfidence ? "; LOW CONFIDENCE: no recent natriuretic peptide" : "")}."
        );
        return new RiskEstimate(
            probability,
            category,
            findings,
            rationale,
            explanation,
            evidence.Missing,
            Name,
            Version
        )
        {
            Components =
            [
                new ComponentScore("rules", components.Rules, "ESC 2021 peptide, LVEF, H2FPEF, note signs, HF drugs"),
                new ComponentScore(
                    "tabular",
                    components.Tabular,
                    Tabular is null ? "not loaded" : $"{Tabular.Card.Name} {Tabular.Card.Version}"
                ),
                new ComponentScore("notes", components.Notes, Notes is null ? "not loaded" : "RoBERTa note classifier"),
            ],
            Confidence = lowConfidence ? Confidence.Low : Confidence.Normal,
        };
    }

    private static RiskEstimate KnownHeartFailure(RiskInput input)
    {
        var first = input.HeartFailureDiagnoses.OrderBy(d => d.When ?? DateTimeOffset.MaxValue).First();
        var findings = input
            .HeartFailureDiagnoses.Select(d => new Finding(
                d.Source,
                $"Diagnóstico de insuficiencia cardiaca: {d.Description}",
                d.When
            )
            {
                Weight = 10,
            })
            .ToList();
        return new RiskEstimate(
            1.0,
            RiskCategory.Certain,
            findings,
            "Active confirmed heart-failure diagnosis in the record: known HF, not a new finding.",
            "Insuficiencia cardiaca ya diagnosticada: "
                + $"{first.Description}{(first.When is { } since ? $", desde {since:dd/MM/yyyy}" : "")}. "
                + "No se marca como nueva.",
            [],
            Name,
            Version
        );
    }

    private static string Show(double? p) => p is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "absent";

    private static string Spanish(RiskCategory category) =>
        category switch
        {
            RiskCategory.Negligible => "despreciable",
            RiskCategory.Low => "bajo",
            RiskCategory.Moderate => "moderado",
            RiskCategory.High => "alto",
            _ => "cierto",
        };

    public void Dispose() => Notes?.Dispose();
}
