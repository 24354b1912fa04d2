using System.Globalization;
using System.Text;

namespace Clinical.Fhir.Output;

/// <summary>
/// A screening's evidence as a clinician reads it (Spanish Markdown), formatted here once for every place that
/// renders it: the RiskAssessment's note and the CDS card's detail.
/// </summary>
public static class EvidenceText
{
    /// <summary>Items listed; the rest are counted (RiskAssessment.basis still points at every one).</summary>
    public const int Shown = 10;

    /// <summary>
    /// "Evidencia:" and one numbered line per item, strongest first as the engine ranked them: the description (which
    /// carries the fact's date where it has one), the resource it came from and, for a note, the character span.
    /// Empty when there is no evidence.
    /// </summary>
    public static string Markdown(IReadOnlyList<EvidenceItem> evidence)
    {
        if (evidence.Count == 0)
            return "";
        var text = new StringBuilder("Evidencia:");
        foreach (var (item, i) in evidence.Take(Shown).Select((item, i) => (item, i)))
            text.Append(CultureInfo.InvariantCulture, $"\n{i + 1}. {item.Description} — {item.Reference}{Span(item)}");
        if (evidence.Count > Shown)
            text.Append(CultureInfo.InvariantCulture, $"\n… y {evidence.Count - Shown} más.");
        return text.ToString();
    }

    /// <summary>The explanation, then the evidence: the RiskAssessment's note and the core of the card.</summary>
    public static string ExplanationAndEvidence(ScreeningReport report) =>
        report.Evidence.Count == 0 ? report.Explanation : $"{report.Explanation}\n\n{Markdown(report.Evidence)}";

    private static string Span(EvidenceItem item) =>
        item.SpanStart is { } start
            ? string.Create(CultureInfo.InvariantCulture, $" (caracteres {start}–{start + item.SpanLength})")
            : "";
}
