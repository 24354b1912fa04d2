using Hl7.Fhir.Model;

namespace Clinical.Fhir.Extraction;

/// <summary>
/// Whose patient this is: the GP(s) in Patient.generalPractitioner (Practitioner or PractitionerRole references) and
/// the practice in Patient.managingOrganization, with the display name to show. A logical reference (type +
/// identifier, no literal reference) is kept as "Type/identifier-value", which matches a clinician's fhirUser where
/// the EHR's resource ids are those identifiers. DisplayName is the patient's official
/// (else first) name as "Given Family", for the clinician's worklist; it is PHI and never logged.
/// </summary>
public sealed record PatientAttribution(
    IReadOnlyList<string> GeneralPractitioners,
    string? Practice,
    string? PracticeName,
    string? DisplayName
)
{
    public static readonly PatientAttribution None = new([], null, null, null);

    public static PatientAttribution Of(Patient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var name =
            patient.Name.FirstOrDefault(n => n.Use == HumanName.NameUse.Official) ?? patient.Name.FirstOrDefault();
        var display =
            name is null ? null
            : name.Text is { Length: > 0 } text ? text
            : string.Join(' ', name.Given.Append(name.Family).Where(part => !string.IsNullOrWhiteSpace(part)));
        return new PatientAttribution(
            patient
                .GeneralPractitioner.Select(Key)
                .OfType<string>()
                .Where(r => r.StartsWith("Practitioner", StringComparison.Ordinal))
                .ToList(),
            patient.ManagingOrganization is { } organization ? Key(organization) : null,
            patient.ManagingOrganization?.Display,
            string.IsNullOrWhiteSpace(display) ? null : display
        );
    }

    private static string? Key(ResourceReference reference) =>
        reference.Reference is { Length: > 0 } literal ? literal
        : reference.Type is { Length: > 0 } type && reference.Identifier?.Value is { Length: > 0 } value
            ? $"{type}/{value}"
        : null;
}
