using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clinical.Api.Features.Cohorts.BulkExport;

/// <summary>One file of the manifest and how far its download got.</summary>
public sealed class ExportFileState
{
    /// <summary>output, error or deleted: the manifest array it came from.</summary>
    public required string Kind { get; init; }

    public required string Type { get; init; }

    public required string Url { get; init; }

    /// <summary>Path relative to the export folder (Type.000.ndjson, error/OperationOutcome.000.ndjson …).</summary>
    public required string Path { get; init; }

    /// <summary>The manifest's count of resources, when the server gave one.</summary>
    public long? Count { get; init; }

    /// <summary>
    /// A strong ETag or Last-Modified of the first response, sent back as If-Range on a resumed request.
    /// </summary>
    public string? Validator { get; set; }

    public bool Done { get; set; }

    public long Bytes { get; set; }

    public long? Lines { get; set; }
}

/// <summary>
/// What a rerun needs to resume an export, kept as export-state.json in the export folder (the job's reader skips it):
/// the kick-off request, the status URL, the manifest's transactionTime and each file's progress. The bytes already
/// downloaded are the length of each file's `.part` file; the state is rewritten whole, to a temporary file renamed
/// over the old one, so a kill never leaves half of it.
/// </summary>
public sealed class ExportState
{
    public const string FileName = "export-state.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Lock _write = new();

    public int Version { get; set; } = 1;

    /// <summary>
    /// The kick-off URL with its parameters: a rerun with other parameters must not mix into this folder.
    /// </summary>
    public required string KickOffUrl { get; init; }

    public string? StatusUrl { get; set; }

    public DateTimeOffset? KickedOffAt { get; set; }

    /// <summary>The manifest's transactionTime: the `_since` of the next incremental export.</summary>
    public string? TransactionTime { get; set; }

    public bool RequiresAccessToken { get; set; }

    public List<ExportFileState> Files { get; set; } = [];

    public DateTimeOffset? CompletedAt { get; set; }

    [JsonIgnore]
    public bool HasManifest => TransactionTime is not null;

    public static ExportState? Load(string folder)
    {
        var path = System.IO.Path.Combine(folder, FileName);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<ExportState>(File.ReadAllText(path), Json)
                ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new BulkExportException(
                $"{path} cannot be read ({e.Message}); move the folder aside and start the export again."
            );
        }
    }

    /// <summary>
    /// The transactionTime of a finished export in <paramref name="folder"/>: the `_since` of the next monthly
    /// re-screen. Null when the folder holds no finished export.
    /// </summary>
    public static string? TransactionTimeOf(string folder) =>
        Load(folder) is { CompletedAt: not null, TransactionTime: { } time } ? time : null;

    public void Save(string folder)
    {
        lock (_write)
        {
            var path = System.IO.Path.Combine(folder, FileName);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
            File.Move(temporary, path, overwrite: true);
        }
    }
}
