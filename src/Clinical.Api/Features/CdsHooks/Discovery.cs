using Clinical.Fhir.Terminology;

namespace Clinical.Api.Features.CdsHooks;

/// <summary>GET /cds-services: the one service this product offers, with the prefetch it wants.</summary>
public static class Discovery
{
    public const string ServiceId = "hf-screening";
    public const string Hook = "patient-view";

    /// <summary>
    /// Prefetch keys and FHIR query templates; the hook fetches a missing or failed key itself when the EHR allows it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Prefetch = new Dictionary<string, string>(
        StringComparer.Ordinal
    )
    {
        ["patient"] = "Patient/{{context.patientId}}",
        ["natriureticPeptides"] = Observations(Loinc.NatriureticPeptides),
        ["lvef"] = Observations(Loinc.EjectionFraction),
        ["conditions"] = "Condition?patient={{context.patientId}}",
        ["medicationStatements"] = "MedicationStatement?patient={{context.patientId}}&status=active",
        ["medicationRequests"] = "MedicationRequest?patient={{context.patientId}}&status=active",
        ["documents"] = "DocumentReference?patient={{context.patientId}}&_sort=-date&_count=20",
    };

    /// <summary>An Observation search template for LOINC codes, each as system|code (FHIR token search).</summary>
    private static string Observations(IEnumerable<string> loincCodes) =>
        "Observation?patient={{context.patientId}}&code="
        + string.Join(",", loincCodes.Select(code => $"{Loinc.System}|{code}"));

    public static readonly CdsDiscovery Services = new([
        new CdsServiceDescription(
            Hook,
            ServiceId,
            "Cribado de insuficiencia cardiaca no diagnosticada",
            "Al abrir la historia del paciente, busca signos de insuficiencia cardiaca no diagnosticada "
                + "(péptidos natriuréticos, FEVI, diagnósticos, tratamiento y notas) y sugiere NT-proBNP o "
                + "ecocardiografía. Apoyo a la decisión clínica; no es un diagnóstico.",
            Prefetch,
            "Requiere un token JWT del EHR (RS384/ES384). Sin prefetch completo, necesita fhirServer y "
                + "fhirAuthorization con lectura de Patient, Observation, Condition, MedicationStatement, "
                + "MedicationRequest y DocumentReference."
        ),
    ]);

    public static void MapDiscovery(this RouteGroupBuilder cds) =>
        cds.MapGet("/", () => CdsJson.Result(Services)).WithName("CdsDiscovery");
}
