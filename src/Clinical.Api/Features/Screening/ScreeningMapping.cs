using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Models.Scoring;

namespace Clinical.Api.Features.Screening;

/// <summary>The one place where FHIR-extracted records become model inputs, and model estimates become FHIR reports.</summary>
public static class ScreeningMapping
{
    public static RiskInput ToRiskInput(PatientRecord record) => new(
        record.PatientReference,
        record.AsOf,
        record.AgeYears,
        record.Measurements
            .Where(m => m.Kind is MeasurementKind.NtProBnp or MeasurementKind.Bnp)
            .Select(m => new PeptideResult(m.Kind == MeasurementKind.NtProBnp ? PeptideKind.NtProBnp : PeptideKind.Bnp, (double)m.Value, m.Comparator, m.When, m.Source))
            .ToList(),
        record.ActiveHeartFailure
            .Select(d => new KnownDiagnosis(d.Display ?? $"{d.System}|{d.Code}", d.When, d.Source))
            .ToList());

    public static ScreeningReport ToReport(PatientRecord record, RiskEstimate estimate, DateTimeOffset screenedAt)
    {
        var explanation = estimate.Missing.Count == 0
            ? estimate.Explanation
            : $"{estimate.Explanation} Falta: {string.Join("; ", estimate.Missing)}.";
        return new ScreeningReport(
            record.PatientReference,
            record.AsOf,
            screenedAt,
            (decimal)Math.Round(estimate.Probability, 4),
            estimate.Category switch
            {
                RiskCategory.Negligible => RiskLevel.Negligible,
                RiskCategory.Low => RiskLevel.Low,
                RiskCategory.Moderate => RiskLevel.Moderate,
                RiskCategory.High => RiskLevel.High,
                RiskCategory.Certain => RiskLevel.Certain,
                _ => throw new ArgumentOutOfRangeException(nameof(estimate)),
            },
            estimate.Findings.Select(f => new EvidenceItem(f.Source, f.Description, f.When)).ToList(),
            estimate.Rationale,
            explanation,
            new ModelIdentity(estimate.ModelName, estimate.ModelVersion));
    }
}
