using Hl7.Fhir.Model;

namespace Clinical.Fhir.Parsing;

/// <summary>
/// FHIR invariants and sanity rules that Firely's parser does not evaluate but the product relies on:
/// ras-2 (RiskAssessment probability ≤ 100, and not negative), per-1 (Period start ≤ end) on the periods
/// screening reads, and clinical facts dated in the future (kept, with a warning).
/// </summary>
public static class InputRules
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromDays(1);

    public static IEnumerable<InputIssue> Check(AcceptedResource accepted, DateTimeOffset now, string source)
    {
        var at = accepted.Location;
        switch (accepted.Resource)
        {
            case RiskAssessment risk:
                for (var i = 0; i < risk.Prediction.Count; i++)
                {
                    if (risk.Prediction[i].Probability is FhirDecimal { Value: { } p } && (p > 100 || p < 0))
                        yield return new InputIssue(
                            IssueSeverity.Error,
                            "invariant",
                            $"Probability {p} is outside 0..100 (ras-2).",
                            $"{at}.prediction[{i}].probability",
                            Source: source
                        );
                }
                break;
            case Encounter encounter when Reversed(encounter.Period):
                yield return PeriodIssue($"{at}.period", source);
                break;
            case Condition { Onset: Period onset } when Reversed(onset):
                yield return PeriodIssue($"{at}.onset", source);
                break;
            case Observation { Effective: Period effective } when Reversed(effective):
                yield return PeriodIssue($"{at}.effective", source);
                break;
            case MedicationStatement { Effective: Period effective } when Reversed(effective):
                yield return PeriodIssue($"{at}.effective", source);
                break;
        }
        if (ClinicalDate(accepted.Resource) is { } when && when > now + ClockSkew)
            yield return new InputIssue(
                IssueSeverity.Warning,
                "value",
                $"{accepted.Resource.TypeName} is dated {when:yyyy-MM-dd}, in the future.",
                at,
                Source: source
            );
    }

    private static InputIssue PeriodIssue(string location, string source) =>
        new(IssueSeverity.Error, "invariant", "Period start is after its end (per-1).", location, Source: source);

    private static bool Reversed(Period? period) =>
        period?.StartElement?.ToDateTimeOffset(TimeSpan.Zero) is { } start
        && period.EndElement?.ToDateTimeOffset(TimeSpan.Zero) is { } end
        && start > end;

    private static DateTimeOffset? ClinicalDate(Resource resource) =>
        resource switch
        {
            Observation o => o.Effective is FhirDateTime d ? d.ToDateTimeOffset(TimeSpan.Zero) : null,
            Condition c => c.Onset is FhirDateTime d ? d.ToDateTimeOffset(TimeSpan.Zero) : null,
            DocumentReference r => r.Date,
            Encounter e => e.Period?.StartElement?.ToDateTimeOffset(TimeSpan.Zero),
            _ => null,
        };
}
