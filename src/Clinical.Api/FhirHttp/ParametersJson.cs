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
            || type.ValueKind != JsonValueKind.String
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

    /// <summary>
    /// The request body as JSON, read under the request's size budget (<see cref="FhirContent.ReadBodyAsync"/>); a
    /// syntax error is bad input located at its line and column.
    /// </summary>
    public static async Task<JsonDocument> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        try
        {
            return JsonDocument.Parse(await FhirContent.ReadBodyAsync(http, cancellationToken));
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

    /// <summary>
    /// The value[x] of the first part called <paramref name="name"/> (e.g. valueString, valueDate: both JSON strings
    /// in FHIR JSON); null when there is no such part or it has no such value. Any other JSON type is a 400 that names
    /// the part, never an exception from the JSON reader.
    /// </summary>
    public static string? StringValue(IEnumerable<(string Name, JsonElement Value)> parts, string name, string value)
    {
        foreach (var (partName, part) in parts)
        {
            if (partName != name)
                continue;
            if (!part.TryGetProperty(value, out var element))
                return null;
            return element.ValueKind == JsonValueKind.String
                ? element.GetString()
                : throw new FhirInputException([
                    new InputIssue(
                        IssueSeverity.Error,
                        "structure",
                        $"Parameters part '{name}' has {value} as a JSON {Kind(element)}; "
                            + "FHIR JSON writes it as a string.",
                        $"Parameters.parameter.where(name = '{name}').{value}"
                    ),
                ]);
        }
        return null;
    }

    private static string Kind(JsonElement element) =>
        element.ValueKind switch
        {
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            _ => "null",
        };
}
