using System.Globalization;
using System.Text;
using Clinical.Models.Scoring.Evidence;

namespace Clinical.Models.Scoring.Wording;

/// <summary>
/// The one renderer of a screening for clinicians (language → text): findings, missing data, the explanation and the
/// evidence list, in es, ca, gl or eu, with numbers, percentages and dates as that language writes them. The
/// RiskAssessment, the Flag, the CDS card and the dashboard all word the engine's <see cref="RiskEstimate"/> through
/// it, so the same finding reads the same everywhere. Probabilities are percentages ("86 %", never "0.86") and levels
/// are words ("moderado", never "moderate").
/// </summary>
public sealed class RiskWording
{
    public const string DefaultLanguage = "es";

    /// <summary>
    /// Items listed in the evidence; the rest are counted (RiskAssessment.basis still names every one).
    /// </summary>
    public const int ShownEvidence = 10;

    public static readonly RiskWording Spanish = new(new SpanishPhrases());

    private static readonly Dictionary<string, RiskWording> ByLanguage = new[]
    {
        Spanish,
        new RiskWording(new CatalanPhrases()),
        new RiskWording(new GalicianPhrases()),
        new RiskWording(new BasquePhrases()),
    }.ToDictionary(w => w.Language, StringComparer.Ordinal);

    private RiskWording(Phrases phrases) => Phrases = phrases;

    /// <summary>es, ca, gl, eu.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["es", "ca", "gl", "eu"];

    public Phrases Phrases { get; }

    public string Language => Phrases.Language;

    public static bool Supports(string? language) => language is not null && ByLanguage.ContainsKey(language);

    /// <summary>
    /// The wording for an ISO 639-1 code (a region suffix such as "ca-ES" is ignored); Spanish otherwise.
    /// </summary>
    public static RiskWording For(string? language)
    {
        var code = language?.Split('-', '_')[0].ToLowerInvariant();
        return code is not null && ByLanguage.TryGetValue(code, out var wording) ? wording : Spanish;
    }

    public string Number(double value, string format = "#,##0.#") => value.ToString(format, Phrases.Culture);

    /// <summary>A probability as a whole percentage ("86 %"), one decimal under 1 %, never 100 % short of 1.</summary>
    public string Percent(double probability)
    {
        var percent = probability * 100;
        var shown = percent < 1 ? Number(percent, "0.#") : Number(Math.Min(Math.Round(percent), 99), "0");
        return Phrases.Percent(probability >= 1 ? "100" : shown);
    }

    public string Date(DateTimeOffset when) => when.ToString(Phrases.DateFormat, CultureInfo.InvariantCulture);

    public string Date(DateOnly day) => day.ToString(Phrases.DateFormat, CultureInfo.InvariantCulture);

    public string Level(RiskCategory category) => Phrases.Level(category);

    public string List(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count switch
        {
            0 => "",
            1 => list[0],
            _ => $"{string.Join(", ", list.Take(list.Count - 1))} {Phrases.And} {list[^1]}",
        };
    }

    public string Describe(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return Describe(finding.Fact);
    }

    public string Describe(EvidenceFact fact) =>
        fact switch
        {
            PeptideFact p => Peptide(p),
            EjectionFractionFact e => EjectionFraction(e),
            NoteSignFact s => Phrases.NoteSign(
                DateSuffix(s.When),
                s.Quote,
                Phrases.Sign(s.Sign),
                Phrases.SignState(s.Assertion)
            ),
            DrugFact d => Phrases.Drug(d.Drug, d.Reason),
            NoteClassifierFact n => Phrases.NoteClassifier(Percent(n.Probability), DateSuffix(n.When)),
            KnownDiagnosisFact k => Phrases.KnownDiagnosis(k.Description),
            NoRecentPeptideFact => Phrases.NoRecentPeptide,
            NoEchocardiogramFact => Phrases.NoEchocardiogram,
            H2FpefFact h => Phrases.H2Fpef(
                $"{h.Points}/{H2FpefScore.Maximum}",
                List(h.Present.Select(i => Phrases.H2FpefItem(i.Component, i.Value is { } v ? Number(v) : null))),
                List(h.Missing.Select(Phrases.H2FpefMissingInput))
            ),
            AffirmedSignsFact a => Phrases.AffirmedSigns(List(a.Signs.Select(Phrases.Sign)), a.Notes),
            DrugsFact d => List(d.Drugs.Select(Describe)),
            _ => throw new ArgumentOutOfRangeException(nameof(fact), fact.Kind, null),
        };

    public string Describe(MissingData missing) => Phrases.Missing(missing);

    /// <summary>
    /// The paragraph a clinician reads first: the level and probability with the explanation's points, the note
    /// classifier, the guideline floor, low confidence and why, and what is missing.
    /// </summary>
    public string Explanation(RiskEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        if (estimate.Category == RiskCategory.Certain)
        {
            var known = estimate.Summary.OfType<KnownDiagnosisFact>().FirstOrDefault();
            return Phrases.KnownHeartFailure(
                known?.Description ?? Phrases.HeartFailure,
                known?.When is { } since ? Date(since) : null
            );
        }
        var text = new StringBuilder(
            $"{Phrases.Risk(estimate.Category)} ({Percent(estimate.Probability)}): "
                + $"{string.Join("; ", estimate.Summary.Select(Describe))}."
        );
        if (estimate.NotesProbability is { } notes)
            text.Append(' ').Append(Phrases.NotesClassifierSentence(Percent(notes)));
        if (estimate.Floor is { } floor)
            text.Append(' ')
                .Append(Phrases.Floor(List(floor.Floor.Criteria.Select(c => Criterion(c.Fact))), floor.Decided));
        if (estimate.Confidence == Confidence.Low)
        {
            var reasons = estimate.OldEvidence.Select(Old).ToList();
            if (estimate.Category is RiskCategory.Low or RiskCategory.Negligible)
                reasons.Add(Phrases.NotReassuring);
            text.Append(' ').Append($"{Phrases.LowConfidence}: {string.Join("; ", reasons)}.");
        }
        if (estimate.Missing.Count > 0)
            text.Append(' ')
                .Append($"{Phrases.MissingHeading}: {string.Join("; ", estimate.Missing.Select(Describe))}.");
        return text.ToString();
    }

    /// <summary>
    /// "Evidencia:" and one numbered Markdown line per finding, strongest first as the engine ranked them: the finding,
    /// the resource it came from and, for a note, the character span. Empty when there is none.
    /// </summary>
    public string Evidence(IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        if (findings.Count == 0)
            return "";
        var text = new StringBuilder($"{Phrases.EvidenceHeading}:");
        foreach (var (finding, i) in findings.Take(ShownEvidence).Select((f, i) => (f, i)))
        {
            var span = finding.SpanStart is { } start
                ? $" ({Phrases.Characters(start, start + (finding.SpanLength ?? 0))})"
                : "";
            text.Append(CultureInfo.InvariantCulture, $"\n{i + 1}. {Describe(finding)} — {finding.Source}{span}");
        }
        if (findings.Count > ShownEvidence)
            text.Append('\n').Append(Phrases.AndMore(findings.Count - ShownEvidence));
        return text.ToString();
    }

    /// <summary>The explanation, then the evidence: the RiskAssessment's note and the core of the card.</summary>
    public string Note(RiskEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var evidence = Evidence(estimate.Findings);
        return evidence.Length == 0 ? Explanation(estimate) : $"{Explanation(estimate)}\n\n{evidence}";
    }

    private string DateSuffix(DateTimeOffset? when) => when is { } w ? $" ({Date(w)})" : "";

    private static string PeptideLabel(PeptideKind kind) => kind == PeptideKind.NtProBnp ? "NT-proBNP" : "BNP";

    private string Measured(PeptideFact p)
    {
        var bound =
            p.Comparator is "<" or "<=" ? "<"
            : p.Comparator is ">" or ">=" ? ">"
            : "";
        return $"{PeptideLabel(p.Peptide)} {bound}{Number(p.ValuePgMl)} pg/mL{DateSuffix(p.When)}";
    }

    private string Peptide(PeptideFact p)
    {
        if (p.IsMaximum)
            return $"{Measured(p)}: {Phrases.MaximumRecorded}";
        var text = $"{Measured(p)} {Phrases.AgainstThreshold(p.AboveThreshold, Number(p.ThresholdPgMl, "0"))}";
        if (p.Trend is { } trend)
            text +=
                ", "
                + Phrases.Trend(trend.Direction, $"{Number(trend.PreviousPgMl)} pg/mL{DateSuffix(trend.PreviousWhen)}");
        if (p.Stale)
            text += $", {Phrases.RepeatPeptide(p.YearsOld)}";
        return text;
    }

    private string EjectionFraction(EjectionFractionFact e)
    {
        var text =
            $"{Phrases.Lvef} {Phrases.Percent(Number(e.Percent, "0"))}{DateSuffix(e.When)}: "
            + Phrases.EjectionFractionBand(e.Category);
        return e.YearsOld is { } years ? $"{text}, {Phrases.RepeatEchocardiogram(years)}" : text;
    }

    /// <summary>A floor criterion with its guideline cut-off: "NT-proBNP 437 pg/mL (05/01/2026) ≥ 125".</summary>
    private string Criterion(EvidenceFact fact) =>
        fact switch
        {
            PeptideFact p => $"{Measured(p)} ≥ {Number(p.ThresholdPgMl, "0")}",
            EjectionFractionFact e => $"{Phrases.Lvef} {Phrases.Percent(Number(e.Percent, "0"))}{DateSuffix(e.When)} "
                + $"≤ {Phrases.Percent("49")}",
            _ => Describe(fact),
        };

    /// <summary>Old evidence in the confidence sentence: "NT-proBNP de hace 3 años: repetir".</summary>
    private string Old(EvidenceFact fact) =>
        fact switch
        {
            PeptideFact p => Phrases.OldEvidence(PeptideLabel(p.Peptide), Phrases.RepeatPeptide(p.YearsOld)),
            EjectionFractionFact { YearsOld: { } years } => Phrases.OldEvidence(
                Phrases.Lvef,
                Phrases.RepeatEchocardiogram(years)
            ),
            _ => Describe(fact),
        };
}
