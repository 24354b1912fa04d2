namespace Clinical.Fhir.Parsing;

/// <summary>
/// Normalises literal references: "Patient/1", "Patient/1/_history/2", "https://x/fhir/Patient/1" → "Patient/1".
/// </summary>
public static class ReferenceText
{
    public static string? PatientKey(string reference) =>
        TypeAndId(reference) is ("Patient", var id) ? $"Patient/{id}" : null;

    public static (string Type, string Id)? TypeAndId(string reference)
    {
        if (reference.StartsWith("urn:", StringComparison.Ordinal) || reference.StartsWith('#'))
            return null;
        var parts = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var history = Array.IndexOf(parts, "_history");
        if (history >= 0)
            parts = parts[..history];
        return parts.Length >= 2 && char.IsUpper(parts[^2][0]) ? (parts[^2], parts[^1]) : null;
    }
}
