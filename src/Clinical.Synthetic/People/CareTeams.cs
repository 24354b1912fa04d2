namespace Clinical.Synthetic.People;

/// <summary>
/// A fictitious GP of a fictitious practice (centro de salud), as FHIR references with display names.
/// </summary>
public sealed record SyntheticGp(string Practitioner, string Name, string Practice, string PracticeName);

/// <summary>
/// The GPs and practices synthetic patients are attributed to (Patient.generalPractitioner / managingOrganization):
/// four GPs in two practices, assigned by the patient's index so that attribution draws no random numbers and leaves
/// every other generated value as it was.
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

    public static SyntheticGp Of(int patientIndex) => Gps[(patientIndex % Gps.Count + Gps.Count) % Gps.Count];
}
