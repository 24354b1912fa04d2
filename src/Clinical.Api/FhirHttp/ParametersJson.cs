using System.Text.Json;
using Clinical.Fhir.Parsing;

namespace Clinical.Api.FhirHttp;

/// <summary>
/// Reads a FHIR Parameters resource's parts as raw JSON, so a part's resource can go through the strict reader
/// unchanged.
/// </summary>
public static class ParametersJson
{
    public static IEnumerable<(string Name, JsonElement Value)> Parts(JsonElement root)
    {
        if (
            root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("resourceType", out var type)
            || type.GetString() != "Parameters"
        )
            throw new FhirInputException([
                new InputIssue(IssueSeverity.Error, "structure", "Expected a FHIR Parameters resource.", "Parameters"),
            ]);
        if (!root.TryGetProperty("parameter", out var parameters) || parameters.ValueKind != JsonValueKind.Array)
            yield break;
        foreach (var part in parameters.EnumerateArray())
        {
            if (
                part.ValueKind == JsonValueKind.Object
                && part.TryGetProperty("name", out var name)
                && name.ValueKind == JsonValueKind.String
            )
                yield return (name.GetString()!, part);
        }
    }

    /// <summary>The request body as JSON; a syntax error is bad input located at its line and column.</summary>
    public static async Task<JsonDocument> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(http.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            throw new FhirInputException([
                new InputIssue(
                    IssueSeverity.Fatal,
                    "structure",
                    $"Invalid JSON: {e.Message}",
                    Line: (e.LineNumber ?? 0) + 1,
                    Column: (e.BytePositionInLine ?? 0) + 1
                ),
            ]);
        }
    }
}
