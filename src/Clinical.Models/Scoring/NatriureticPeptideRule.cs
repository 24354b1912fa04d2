using System.Globalization;

namespace Clinical.Models.Scoring;

/// <summary>
/// ESC 2021 HF guideline (McDonagh et al., Eur Heart J 2021;42:3599), non-acute setting:
/// NT-proBNP &lt; 125 pg/mL or BNP &lt; 35 pg/mL makes HF unlikely; at or above, echocardiography is indicated.
/// An already-diagnosed patient short-circuits to "certain" (known HF, not a new finding).
///
/// The probability is a documented default, not a fitted model: a logistic curve on the log ratio of the
/// latest peptide to its threshold, p = σ(−1.1 + 1.6·ln(value/threshold)), which puts the threshold at
/// p ≈ 0.25 and NT-proBNP 450 pg/mL at p ≈ 0.72; without a peptide, an age prior (1–2 % of adults,
/// &gt; 8 % above 75; REFERENCE.md). The category follows the guideline rule itself, so the flag is exactly
/// the ESC rule: at/above threshold → moderate (high when p ≥ 0.6); below → low (negligible when p &lt; 0.05).
/// </summary>
public static class NatriureticPeptideRule
{
    public const string Name = "hf-screen-esc-peptide-rule";
    public const string Version = "0.1.0";
    public const double NtProBnpThreshold = 125;
    public const double BnpThreshold = 35;
    private const double Intercept = -1.1;
    private const double Slope = 1.6;
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es-ES");

    public static RiskEstimate Assess(RiskInput input)
    {
        if (input.HeartFailureDiagnoses.Count > 0)
        {
            var first = input.HeartFailureDiagnoses.OrderBy(d => d.When ?? DateTimeOffset.MaxValue).First();
            var findings = input.HeartFailureDiagnoses.Select(d => new Finding(d.Source, $"Diagnóstico de insuficiencia cardiaca: {d.Description}", d.When)).ToList();
            return new RiskEstimate(1.0, RiskCategory.Certain, findings,
                "Active confirmed heart-failure diagnosis in the record: known HF, not a new finding.",
                $"Insuficiencia cardiaca ya diagnosticada: {first.Description}{(first.When is { } since ? $", desde {since:dd/MM/yyyy}" : "")}. No se marca como nueva.",
                [], Name, Version);
        }

        var latest = input.Peptides
            .OrderByDescending(p => p.When ?? DateTimeOffset.MinValue)
            .ThenBy(p => p.Kind)
            .FirstOrDefault();
        if (latest is null)
        {
            var prior = AgePrior(input.AgeYears);
            return new RiskEstimate(prior, RiskCategory.Low, [],
                "No natriuretic peptide in the record; age prior only (low confidence).",
                "Sin NT-proBNP ni BNP en la historia: el riesgo no puede descartarse. Si hay sospecha clínica (disnea, edemas), solicitar NT-proBNP.",
                ["NT-proBNP o BNP"], Name, Version);
        }

        var threshold = latest.Kind == PeptideKind.NtProBnp ? NtProBnpThreshold : BnpThreshold;
        var label = latest.Kind == PeptideKind.NtProBnp ? "NT-proBNP" : "BNP";
        var value = latest.ValuePgMl;
        var probability = Sigmoid(Intercept + Slope * Math.Log(Math.Max(value, 1) / threshold));
        var bound = latest.Comparator is "<" or "<=" ? "<" : latest.Comparator is ">" or ">=" ? ">" : "";
        var aboveThreshold = bound == "<" ? value > threshold : value >= threshold;
        var category = aboveThreshold
            ? probability >= 0.6 ? RiskCategory.High : RiskCategory.Moderate
            : probability < 0.05 ? RiskCategory.Negligible : RiskCategory.Low;
        var shown = $"{label} {bound}{value.ToString("#,##0.#", Spanish)} pg/mL{DateSuffix(latest.When)}";
        var finding = new Finding(latest.Source, shown, latest.When);
        var missing = new List<string>();
        var stale = latest.When is { } when && DateOnly.FromDateTime(when.UtcDateTime) < input.AsOf.AddYears(-2);
        if (stale) missing.Add("NT-proBNP reciente (el último tiene más de 2 años)");

        var explanation = aboveThreshold
            ? $"{shown} por encima de {threshold.ToString("0", Spanish)} pg/mL (ESC 2021): insuficiencia cardiaca posible, no diagnosticada. Indicado ecocardiograma."
            : $"{shown} por debajo de {threshold.ToString("0", Spanish)} pg/mL (ESC 2021): insuficiencia cardiaca poco probable.";
        if (stale) explanation += " El último péptido tiene más de 2 años: valorar repetirlo.";
        var rationale = string.Create(CultureInfo.InvariantCulture,
            $"Latest {label} {bound}{value:0.#} pg/mL {(aboveThreshold ? "at or above" : "below")} the ESC 2021 non-acute threshold of {threshold:0} pg/mL.");
        return new RiskEstimate(probability, category, [finding], rationale, explanation, missing, Name, Version);
    }

    private static double AgePrior(int? age) => age switch
    {
        >= 75 => 0.08,
        >= 65 => 0.04,
        _ => 0.015,
    };

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static string DateSuffix(DateTimeOffset? when) => when is { } w ? $" ({w:dd/MM/yyyy})" : "";
}
