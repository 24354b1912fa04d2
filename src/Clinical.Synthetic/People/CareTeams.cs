using Hl7.Fhir.Model;

namespace Clinical.Synthetic.People;

/// <summary>
/// A fictitious GP of a fictitious practice (centro de salud), as FHIR references with display names.
/// </summary>
public sealed record SyntheticGp(string Practitioner, string Name, string Practice, string PracticeName);

/// <summary>
/// The GPs and practices synthetic patients are attributed to (Patient.generalPractitioner / managingOrganization):
/// four GPs in two practices, assigned by the patient's index so that attribution draws no random numbers and leaves
/// every other generated value as it was. They are written as logical references (type + identifier, as a Spanish
/// record names a GP by a professional code), since the cohort holds no Practitioner or Organization resources.
/// </summary>
public static class CareTeams
{
    public static readonly IReadOnlyList<SyntheticGp> Gps =
    [
        new("Practitioner/medico-1", "Dra. Marta Vidal", "Organization/cs-norte", "Centro de Salud Norte (ficticio)"),
        new("Practitioner/medico-2", "Dr. Jon Etxeberria", "Organization/cs-norte", "Centro de Salud Norte (ficticio)"),
        new("Practitioner/medico-3", "Dra. Uxía Castro", "Organization/cs-sur", "Centro de Salud Sur (ficticio)"),
        new("Practitioner/medico-4", "Dr. Pau Soler", "Organization/cs-sur", "Centro de Salud Sur (ficticio)"),
    ];

    public const string IdentifierSystem = "https://hf-screening.invalid/fhir/NamingSystem/synthetic-care-team";

    public static SyntheticGp Of(int patientIndex) => Gps[(patientIndex % Gps.Count + Gps.Count) % Gps.Count];

    /// <summary>"Practitioner/medico-1" as a logical reference: type Practitioner, identifier medico-1.</summary>
    public static ResourceReference Logical(string reference, string display)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        return new ResourceReference
        {
            Type = reference[..slash],
            Identifier = new Identifier(IdentifierSystem, reference[(slash + 1)..]),
            Display = display,
        };
    }
}
