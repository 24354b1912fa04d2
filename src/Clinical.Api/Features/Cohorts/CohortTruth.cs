using System.Globalization;
using System.Text.Json;

namespace Clinical.Api.Features.Cohorts;

/// <summary>
/// One line of a generated cohort's truth.ndjson: HF status, onset, recorded diagnosis and phenotype.
/// </summary>
public sealed record CohortTruth(
    string PatientReference,
    string Status,
    DateOnly? Onset,
    DateOnly? Diagnosis,
    string? Phenotype
)
{
    public bool HasHeartFailure => Status is "undiagnosed" or "diagnosed";

    public static IReadOnlyDictionary<string, CohortTruth> Read(string path) =>
        File.ReadLines(path)
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(Parse)
            .ToDictionary(t => t.PatientReference, StringComparer.Ordinal);

    public static CohortTruth Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        return new CohortTruth(
            $"Patient/{root.GetProperty("patientId").GetString()}",
            root.GetProperty("hfStatus").GetString() ?? "none",
            Date(root, "onsetDate"),
            Date(root, "diagnosisDate"),
            root.TryGetProperty("phenotype", out var phenotype) && phenotype.ValueKind == JsonValueKind.String
                ? phenotype.GetString()
                : null
        );
    }

    private static DateOnly? Date(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;
}
