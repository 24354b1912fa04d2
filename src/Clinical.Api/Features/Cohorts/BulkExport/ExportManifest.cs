using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clinical.Api.Features.Cohorts.BulkExport;

/// <summary>One entry of a manifest's output, error or deleted array.</summary>
public sealed record ManifestFile(string Type, Uri Url, long? Count);

/// <summary>
/// The complete-status body of a Bulk Data export
/// (https://hl7.org/fhir/uv/bulkdata/export.html#response---complete-status): transactionTime, request,
/// requiresAccessToken, output, error and deleted, merged over the manifest's pages (`link` with relation `next`,
/// Bulk Data 2.0).
/// </summary>
public sealed record ExportManifest(
    string TransactionTime,
    string? Request,
    bool RequiresAccessToken,
    IReadOnlyList<ManifestFile> Output,
    IReadOnlyList<ManifestFile> Error,
    IReadOnlyList<ManifestFile> Deleted
)
{
    public const string FileName = "manifest.json";

    /// <summary>
    /// Parses one page; relative URLs resolve against the page's own URL. Returns the next page's URL too.
    /// </summary>
    public static (ExportManifest Page, Uri? Next) Parse(string json, Uri pageUrl)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new JsonException("not an object");
            var transactionTime =
                root.TryGetProperty("transactionTime", out var t) && t.GetString() is { Length: > 0 } time
                    ? time
                    : throw new JsonException("transactionTime is missing");
            if (!Hl7.Fhir.Model.Instant.IsValidValue(transactionTime))
                throw new JsonException($"transactionTime '{transactionTime}' is not a FHIR instant");
            Uri? next = null;
            if (root.TryGetProperty("link", out var links) && links.ValueKind == JsonValueKind.Array)
                foreach (var link in links.EnumerateArray())
                    if (
                        link.TryGetProperty("relation", out var relation)
                        && relation.GetString() == "next"
                        && link.TryGetProperty("url", out var url)
                    )
                        next = new Uri(pageUrl, url.GetString()!);
            var page = new ExportManifest(
                transactionTime,
                root.TryGetProperty("request", out var r) ? r.GetString() : null,
                root.TryGetProperty("requiresAccessToken", out var a) && a.ValueKind == JsonValueKind.True,
                Files(root, "output", pageUrl),
                Files(root, "error", pageUrl),
                Files(root, "deleted", pageUrl)
            );
            return (page, next);
        }
        catch (Exception e)
            when (e is JsonException or InvalidOperationException or UriFormatException or KeyNotFoundException)
        {
            throw new BulkExportException($"The export manifest from {pageUrl} is not valid: {e.Message}.");
        }
    }

    public ExportManifest Append(ExportManifest page) =>
        this with
        {
            Output = [.. Output, .. page.Output],
            Error = [.. Error, .. page.Error],
            Deleted = [.. Deleted, .. page.Deleted],
        };

    /// <summary>The merged manifest in the Bulk Data shape, written beside the files as manifest.json.</summary>
    public string ToJson()
    {
        static JsonArray Array(IEnumerable<ManifestFile> files) =>
            new(
                files
                    .Select(f =>
                    {
                        var entry = new JsonObject { ["type"] = f.Type, ["url"] = f.Url.AbsoluteUri };
                        if (f.Count is { } count)
                            entry["count"] = count;
                        return (JsonNode)entry;
                    })
                    .ToArray()
            );
        var root = new JsonObject
        {
            ["transactionTime"] = TransactionTime,
            ["request"] = Request,
            ["requiresAccessToken"] = RequiresAccessToken,
            ["output"] = Array(Output),
            ["error"] = Array(Error),
        };
        if (Deleted.Count > 0)
            root["deleted"] = Array(Deleted);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static List<ManifestFile> Files(JsonElement root, string name, Uri pageUrl)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
            return name == "output" ? throw new JsonException("output is missing") : [];
        return array
            .EnumerateArray()
            .Select(entry => new ManifestFile(
                entry.GetProperty("type").GetString() ?? throw new JsonException($"{name}[].type is missing"),
                new Uri(pageUrl, entry.GetProperty("url").GetString() ?? throw new JsonException("url is missing")),
                entry.TryGetProperty("count", out var count) && count.TryGetInt64(out var n) ? n : null
            ))
            .ToList();
    }
}
