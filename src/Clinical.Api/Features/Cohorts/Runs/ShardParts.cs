using System.Text;
using System.Text.Json;

namespace Clinical.Api.Features.Cohorts.Runs;

/// <summary>The files a run writes: one NDJSON file per resource type, the flagged patients' CSV.</summary>
public static class CohortFiles
{
    public const string RiskAssessment = "RiskAssessment.ndjson";
    public const string Flag = "Flag.ndjson";
    public const string Provenance = "Provenance.ndjson";
    public const string DocumentReference = "DocumentReference.ndjson";
    public const string OperationOutcome = "OperationOutcome.ndjson";
    public const string FlaggedCsv = "flagged.csv";
    public const string Manifest = "manifest.json";
    public const string Summary = "summary.json";

    /// <summary>Where the run keeps its shards, part files and lock until it completes (inside its folder).</summary>
    public const string WorkFolder = ".cohort-work";

    public static readonly IReadOnlyList<string> Resources =
    [
        RiskAssessment,
        Flag,
        Provenance,
        DocumentReference,
        OperationOutcome,
    ];

    public static readonly IReadOnlyList<string> Parts = [.. Resources, FlaggedCsv];

    /// <summary>The resource type an NDJSON file holds ("RiskAssessment.ndjson" → RiskAssessment).</summary>
    public static string TypeOf(string file) => file[..file.IndexOf('.', StringComparison.Ordinal)];
}

/// <summary>
/// A shard's part files, opened at their committed lengths: whatever a batch wrote without committing (the process
/// was killed between the write and the database commit) is cut off, so a resumed shard appends exactly after the
/// last committed batch. Each batch is flushed to disk before its commit, so a committed batch's lines are there.
/// </summary>
public sealed class ShardParts : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Dictionary<string, FileStream> _files = new(StringComparer.Ordinal);

    private ShardParts() { }

    public static ShardParts Open(string folder, string offsetsJson)
    {
        Directory.CreateDirectory(folder);
        var committed = Offsets(offsetsJson);
        var parts = new ShardParts();
        try
        {
            foreach (var name in CohortFiles.Parts)
            {
                var path = Path.Combine(folder, name);
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
                parts._files[name] = stream;
                var length = committed.GetValueOrDefault(name);
                if (stream.Length < length)
                    throw new InvalidOperationException(
                        $"{path} is shorter ({stream.Length:N0} bytes) than its committed length ({length:N0}): it "
                            + "was truncated or replaced outside the run, so the run cannot be resumed exactly."
                    );
                stream.SetLength(length);
                stream.Seek(length, SeekOrigin.Begin);
            }
            return parts;
        }
        catch
        {
            parts.Dispose();
            throw;
        }
    }

    public void Append(string file, string line)
    {
        var stream = _files[file];
        stream.Write(Utf8.GetBytes(line));
        stream.WriteByte((byte)'\n');
    }

    /// <summary>Forces the batch's lines to disk and returns every part's length, to commit with the batch.</summary>
    public string Flush()
    {
        foreach (var stream in _files.Values)
            stream.Flush(flushToDisk: true);
        return JsonSerializer.Serialize(_files.ToDictionary(f => f.Key, f => f.Value.Length));
    }

    public static Dictionary<string, long> Offsets(string offsetsJson) =>
        JsonSerializer.Deserialize<Dictionary<string, long>>(offsetsJson) ?? [];

    public void Dispose()
    {
        foreach (var stream in _files.Values)
            stream.Dispose();
    }
}
