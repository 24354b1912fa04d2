namespace Clinical.Fhir.Terminology;

/// <summary>ICD-10 (WHO, ICD-10-CM) and CIE-10-ES: the same HF codes.</summary>
public static class Icd10
{
    public static readonly IReadOnlySet<string> Systems = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "http://hl7.org/fhir/sid/icd-10",
        "http://hl7.org/fhir/sid/icd-10-cm",
        "http://hl7.org/fhir/sid/icd-10-es",
        "urn:oid:2.16.724.4.21.5.30", // CIE-10-ES (Spanish Ministry of Health OID)
        "https://cie10es.es/cie-10-es",
    };

    /// <summary>
    /// I50.* (heart failure), I11.0, I13.0 and I13.2 (hypertensive heart / heart-and-kidney disease with HF).
    /// </summary>
    public static bool IsHeartFailure(string code)
    {
        var normalized = code.Replace(".", "", StringComparison.Ordinal).ToUpperInvariant();
        return normalized.StartsWith("I50", StringComparison.Ordinal)
            || normalized.StartsWith("I110", StringComparison.Ordinal)
            || normalized.StartsWith("I130", StringComparison.Ordinal)
            || normalized.StartsWith("I132", StringComparison.Ordinal);
    }
}
