using Clinical.Fhir.Terminology;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Extraction;

/// <summary>
/// MedicationStatement / MedicationRequest with an inline code or a referenced (or contained) Medication.
/// </summary>
internal static class MedicationExtractor
{
    public static IEnumerable<MedicationUse> Extract(
        Resource resource,
        string source,
        Dictionary<string, Medication> medications
    )
    {
        var (medication, when, status, contained) = resource switch
        {
            MedicationStatement s => (
                s.Medication,
                FhirDates.Of(s.Effective) ?? FhirDates.Parse(s.DateAsserted),
                s.Status?.ToString(),
                s.Contained
            ),
            MedicationRequest r => (r.Medication, FhirDates.Parse(r.AuthoredOn), r.Status?.ToString(), r.Contained),
            _ => (null, null, null, []),
        };
        if (status is "EnteredInError" or "Cancelled" || medication is null)
            yield break;
        var concept = medication switch
        {
            CodeableConcept inline => inline,
            ResourceReference reference => Referenced(reference, medications, contained)?.Code,
            _ => null,
        };
        if (concept is null)
            yield break;
        foreach (var coding in concept.Coding)
        {
            if (DrugLexicon.Classify(coding.System, coding.Code, coding.Display) is { } drugClass)
            {
                yield return new MedicationUse(
                    drugClass,
                    coding.System ?? "",
                    coding.Code ?? "",
                    coding.Display,
                    when,
                    status,
                    source
                );
                yield break;
            }
        }
        if (DrugLexicon.ClassifyByName(concept.Text) is { } byText)
            yield return new MedicationUse(byText, "text", "", concept.Text, when, status, source);
    }

    private static Medication? Referenced(
        ResourceReference reference,
        Dictionary<string, Medication> medications,
        List<Resource> contained
    )
    {
        var target = reference.Reference ?? "";
        if (target.StartsWith('#'))
            return contained.OfType<Medication>().FirstOrDefault(m => m.Id == target[1..]);
        return medications.TryGetValue(target, out var found) ? found : null;
    }
}
