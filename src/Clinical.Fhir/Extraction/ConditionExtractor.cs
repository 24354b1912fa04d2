using Clinical.Fhir.Terminology;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Extraction;

internal static class ConditionExtractor
{
    private static readonly HashSet<string> InactiveClinical = new(StringComparer.Ordinal)
    {
        "inactive",
        "resolved",
        "remission",
    };
    private static readonly HashSet<string> NotConfirmed = new(StringComparer.Ordinal)
    {
        "refuted",
        "entered-in-error",
    };

    public static IEnumerable<Diagnosis> Extract(Condition condition, string source)
    {
        var clinical = condition.ClinicalStatus?.Coding.FirstOrDefault()?.Code;
        var verification = condition.VerificationStatus?.Coding.FirstOrDefault()?.Code;
        var isActive =
            (clinical is null || !InactiveClinical.Contains(clinical))
            && (verification is null || !NotConfirmed.Contains(verification))
            && condition.Abatement is null;
        var when = FhirDates.Of(condition.Onset) ?? FhirDates.Parse(condition.RecordedDate);

        var seen = new HashSet<ConditionCategory>();
        foreach (var coding in condition.Code?.Coding ?? [])
        {
            if (ConditionCodes.Categorise(coding.System, coding.Code) is { } category && seen.Add(category))
                yield return new Diagnosis(
                    category,
                    coding.System ?? "",
                    coding.Code ?? "",
                    coding.Display ?? condition.Code?.Text,
                    isActive,
                    clinical,
                    verification,
                    when,
                    source
                );
        }
    }
}
