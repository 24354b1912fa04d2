using System.Text.Json;
using System.Text.Json.Serialization;
using Clinical.Api.Errors;

namespace Clinical.Api.Features.CdsHooks;

/// <summary>
/// CDS Hooks 2.0 JSON: camelCase, and never a null or empty value (empty lists are written as absent).
/// </summary>
public static class CdsJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static IReadOnlyList<T>? NullIfEmpty<T>(IReadOnlyList<T>? items) => items is { Count: > 0 } ? items : null;

    public static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    public static IResult Result<T>(T value) => Results.Json(value, Options, "application/json");
}

/// <summary>GET /cds-services response.</summary>
public sealed record CdsDiscovery(IReadOnlyList<CdsServiceDescription> Services);

public sealed record CdsServiceDescription(
    string Hook,
    string Id,
    string Title,
    string Description,
    IReadOnlyDictionary<string, string> Prefetch,
    string? UsageRequirements = null
);

/// <summary>POST /cds-services/{id} response.</summary>
public sealed record CdsResponse(IReadOnlyList<CdsCard> Cards);

public sealed record CdsCard(
    string Uuid,
    string Summary,
    string Indicator,
    CdsSource Source,
    string? Detail = null,
    IReadOnlyList<CdsSuggestion>? Suggestions = null,
    string? SelectionBehavior = null,
    IReadOnlyList<CdsCoding>? OverrideReasons = null,
    IReadOnlyList<CdsLink>? Links = null
);

public sealed record CdsSource(string Label, string? Url = null, CdsCoding? Topic = null);

public sealed record CdsCoding(string Code, string System, string? Display = null);

public sealed record CdsLink(string Label, string Url, string Type, string? AppContext = null);

public sealed record CdsSuggestion(string Label, string Uuid, bool? IsRecommended, IReadOnlyList<CdsAction> Actions);

public sealed record CdsAction(string Type, string Description, JsonElement? Resource = null);

/// <summary>Reads a CDS Hooks JSON body: application/json only (415 otherwise); malformed JSON is a 400.</summary>
public static class CdsRequestBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        var contentType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (contentType is not "application/json")
            throw new UnsupportedMediaException(request.ContentType, "application/json");
        FhirHttp.FhirContent.RequireUtf8(request, "application/json");
        return await JsonSerializer.DeserializeAsync<T>(request.Body, CdsJson.Options, cancellationToken)
            ?? throw new JsonException("The body is JSON null; send a JSON object.");
    }
}
