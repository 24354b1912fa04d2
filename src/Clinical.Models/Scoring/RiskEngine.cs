using System.Globalization;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Scoring.Evidence;
using Clinical.Models.Tabular;

namespace Clinical.Models.Scoring;

/// <summary>
/// The HF risk engine: guideline evidence (always), the tabular model and the note classifier (each when
/// loaded) stacked into one calibrated probability with its qualitative level, ranked evidence and what is missing,
/// under the guideline floor (<see cref="GuidelineFloor"/>). An active confirmed HF diagnosis short-circuits to
/// certain.
/// The note classifier is chosen by each note's language (<see cref="NoteModels"/>).
/// Thread-safe: the tabular model rents pooled engines, and the note classifiers only read their weights. A cohort
/// scores patients in batches (<see cref="AssessBatch"/>): the notes of the whole batch go through the classifiers
/// together.
/// </summary>
public sealed class RiskEngine(TabularModel? tabular, NoteModels? notes, StackedCombiner combiner) : IDisposable
{
    public const string Name = "hf-risk-engine";
    public const string Version = "1.0.0";
    public const int MaxFindings = 25;

    public TabularModel? Tabular { get; } = tabular;

    public NoteModels? Notes { get; } = notes;

    public StackedCombiner Combiner { get; } = combiner;

    public static RiskEngine RulesOnly() => new(null, null, StackedCombiner.Default);

    /// <summary>
    /// Each component's own probability and the note classifier's driving note, before the combination.
    /// </summary>
    public (ComponentProbabilities Probabilities, Finding? NoteFinding) Components(
        RiskInput input,
        GuidelineEvidence evidence,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(evidence);
        return Components(input, evidence, ScoreNotes([evidence], cancellationToken)[0]);
    }

    /// <summary>
    /// The note classifier's score per patient over their recent notes, all patients in one classifier batch; null
    /// where the classifier is not loaded or the patient has no recent note.
    /// </summary>
    private IReadOnlyList<PatientScore?> ScoreNotes(GuidelineEvidence?[] evidence, CancellationToken cancellationToken)
    {
        if (Notes is null)
            return new PatientScore?[evidence.Length];
        var notes = evidence
            .Select(e =>
                (IReadOnlyList<(string Text, string? Language)>)(
                    e?.Signs.Notes.Select(n => (n.Note.Text, (string?)n.Note.Language)).ToList() ?? []
                )
            )
            .ToList();
        return Notes.ClassifyPatients(notes, cancellationToken);
    }

    private (ComponentProbabilities Probabilities, Finding? NoteFinding) Components(
        RiskInput input,
        GuidelineEvidence evidence,
        PatientScore? score
    )
    {
        double? tabularProbability = Tabular?.Predict(TabularFeatures.Build(input, evidence));
        double? notesProbability = null;
        Finding? noteFinding = null;
        var recent = evidence.Signs.Notes.Select(n => n.Note).ToList();
        if (score is not null)
        {
            notesProbability = score.Probability;
            var note = recent[score.DrivingNote.NoteIndex];
            var span = score.DrivingNote.DrivingWindow.Window.Span;
            noteFinding = new Finding(note.Source, new NoteClassifierFact(score.Probability, note.When))
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

    /// <summary>
    /// The probability shown and the level: the stacked, calibrated combination of the components, cut by the
    /// thresholds, then the guideline floor (<see cref="GuidelineFloor"/>) when the record meets it.
    /// </summary>
    public RiskDecision Decide(ComponentProbabilities components, GuidelineFloor? floor) =>
        Combiner.Decide(components, floor);

    /// <summary>The risk estimate; cancellation is observed between the note classifier's batches.</summary>
    public RiskEstimate Assess(RiskInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AssessBatch([input], cancellationToken: cancellationToken)[0];
    }

    /// <summary>
    /// Many patients at once, each estimate the same as <see cref="Assess"/> gives: the guideline evidence and the
    /// tabular model per patient (on up to <paramref name="parallelism"/> threads), the note classifier once over
    /// every patient's recent notes. Cancellation is observed between the note classifier's batches.
    /// </summary>
    public IReadOnlyList<RiskEstimate> AssessBatch(
        IReadOnlyList<RiskInput> inputs,
        int parallelism = 1,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var evidence = Map(
            inputs,
            parallelism,
            (input, _) => input.HeartFailureDiagnoses.Count > 0 ? null : GuidelineEvidence.Assess(input)
        );
        var notes = ScoreNotes(evidence, cancellationToken);
        return Map(
            inputs,
            parallelism,
            (input, i) => evidence[i] is { } found ? Estimate(input, found, notes[i]) : KnownHeartFailure(input)
        );
    }

    private static TResult[] Map<TSource, TResult>(
        IReadOnlyList<TSource> items,
        int parallelism,
        Func<TSource, int, TResult> map
    )
    {
        var results = new TResult[items.Count];
        if (parallelism == 1 || items.Count < 2)
        {
            for (var i = 0; i < items.Count; i++)
                results[i] = map(items[i], i);
            return results;
        }
        Parallel.For(
            0,
            items.Count,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            i => results[i] = map(items[i], i)
        );
        return results;
    }

    private RiskEstimate Estimate(RiskInput input, GuidelineEvidence evidence, PatientScore? noteScore)
    {
        var (components, noteFinding) = Components(input, evidence, noteScore);
        var decision = Decide(components, GuidelineFloor.Of(input, evidence));
        var probability = decision.Probability;
        var category = decision.Category;
        var noRecentPeptide = evidence.LowConfidence && category is RiskCategory.Low or RiskCategory.Negligible;
        if (noRecentPeptide)
            category = RiskCategory.Low;
        var oldEvidence = decision.Floor is { Floor.RestsOnOldEvidence: true } floored
            ? floored.Floor.Criteria.Select(c => c.Fact).ToList()
            : [];
        var lowConfidence = noRecentPeptide || oldEvidence.Count > 0;

        var findings = evidence.Findings.ToList();
        if (noteFinding is not null)
            findings.Add(noteFinding);
        findings = findings
            .OrderByDescending(f => Math.Abs(f.Weight))
            .ThenByDescending(f => f.When ?? DateTimeOffset.MinValue)
            .Take(MaxFindings)
            .ToList();

        return new RiskEstimate(
            probability,
            category,
            findings,
            Rationale(components, decision, noRecentPeptide, oldEvidence.Count > 0),
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
                new ComponentScore(
                    "notes",
                    components.Notes,
                    Notes is null ? "not loaded" : $"RoBERTa note classifier ({Notes.Describe()})"
                ),
            ],
            Confidence = lowConfidence ? Confidence.Low : Confidence.Normal,
            Summary = evidence.Summary,
            NotesProbability = components.Notes,
            Floor = decision.Floor,
            OldEvidence = oldEvidence,
        };
    }

    /// <summary>
    /// The technical line for RiskAssessment.prediction.rationale: how the probability was made, each component's
    /// own probability, the cut-offs, and whether the guideline floor was met and decided the level.
    /// </summary>
    private string Rationale(
        ComponentProbabilities components,
        RiskDecision decision,
        bool noRecentPeptide,
        bool oldEvidence
    )
    {
        var floor =
            decision.Floor is not { } f ? ""
            : f.Decided
                ? $"; GUIDELINE FLOOR decided the level: {Criteria(f.Floor)}; learned p={decision.Learned:0.000} "
                    + $"below moderate, placed in the moderate band"
            : $"; guideline floor met ({Criteria(f.Floor)}), not deciding";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Stacked {components.Pattern} "
                + $"({(Combiner.IsFitted(components) ? "fitted on dev" : "documented default")}), "
                + $"calibrated p={decision.Learned:0.000}; components: rules={components.Rules:0.000}; "
                + $"tabular={Show(components.Tabular)}; notes={Show(components.Notes)}; "
                + $"thresholds moderate>={Combiner.Thresholds.Moderate:0.000}, "
                + $"high>={Combiner.Thresholds.High:0.000}{floor}"
                + $"{(noRecentPeptide ? "; LOW CONFIDENCE: no recent natriuretic peptide" : "")}"
                + $"{(oldEvidence ? "; LOW CONFIDENCE: the floor rests on old evidence" : "")}."
        );
    }

    private static string Criteria(GuidelineFloor floor) =>
        string.Join(
            " and ",
            floor.Criteria.Select(c =>
                c.Fact switch
                {
                    PeptideFact p => string.Create(
                        CultureInfo.InvariantCulture,
                        $"{(p.Peptide == PeptideKind.NtProBnp ? "NT-proBNP" : "BNP")} {p.Comparator}{p.ValuePgMl:0.#} "
                            + $"pg/mL >= {p.ThresholdPgMl:0} ({c.Source}{Age(p.Stale, p.YearsOld)})"
                    ),
                    EjectionFractionFact e => string.Create(
                        CultureInfo.InvariantCulture,
                        $"LVEF {e.Percent:0.#} % <= 49 % ({c.Source}{Age(e.YearsOld is not null, e.YearsOld)})"
                    ),
                    _ => c.Fact.Kind,
                }
            )
        );

    private static string Age(bool stale, int? years) =>
        !stale ? ""
        : years is { } y ? string.Create(CultureInfo.InvariantCulture, $", {y} years old")
        : ", undated";

    private static RiskEstimate KnownHeartFailure(RiskInput input)
    {
        var first = input.HeartFailureDiagnoses.OrderBy(d => d.When ?? DateTimeOffset.MaxValue).First();
        var findings = input
            .HeartFailureDiagnoses.Select(d => new Finding(d.Source, new KnownDiagnosisFact(d.Description, d.When))
            {
                Weight = 10,
            })
            .ToList();
        return new RiskEstimate(
            1.0,
            RiskCategory.Certain,
            findings,
            "Active confirmed heart-failure diagnosis in the record: known HF, not a new finding.",
            [],
            Name,
            Version
        )
        {
            Summary = [new KnownDiagnosisFact(first.Description, first.When)],
        };
    }

    private static string Show(double? p) => p is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "absent";

    public void Dispose() => Notes?.Dispose();
}
