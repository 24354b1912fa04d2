using System.Globalization;
using System.Text;
using System.Text.Json;
using Clinical.Api.Persistence;

namespace Clinical.Api.Features.Cohorts.Runs;

/// <summary>
/// The run's folder once every shard is done: each output file is its shards' parts joined in shard order (the plan's
/// issues first in OperationOutcome.ndjson, the header first in flagged.csv), so the files are the same however the
/// shards were worked through; then manifest.json in the Bulk Data output-manifest shape. Files are written beside
/// their final names and renamed, so a run killed while finishing simply finishes again.
/// </summary>
public static class CohortOutputs
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static string WorkFolder(CohortRun run) => Path.Combine(run.OutputFolder, CohortFiles.WorkFolder);

    public static string PartsFolder(CohortRun run, int shard) =>
        Path.Combine(WorkFolder(run), "parts", shard.ToString("D4", CultureInfo.InvariantCulture));

    /// <summary>Joins the parts into the run's files and writes the manifest; returns the resources per file.</summary>
    public static IReadOnlyDictionary<string, long> Merge(CohortRun run, IReadOnlyList<CohortShard> shards)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var file in CohortFiles.Parts)
        {
            var target = Path.Combine(run.OutputFolder, file);
            var partial = target + ".partial";
            long lines = 0;
            using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write))
            {
                if (file == CohortFiles.OperationOutcome)
                    lines += Write(output, run.PlanIssues);
                if (file == CohortFiles.FlaggedCsv)
                    Write(output, FlaggedCsv.Header + "\n");
                foreach (var shard in shards.OrderBy(s => s.Index))
                {
                    var part = Path.Combine(PartsFolder(run, shard.Index), file);
                    var length = ShardParts.Offsets(shard.OffsetsJson).GetValueOrDefault(file);
                    if (length > 0)
                        lines += Copy(part, length, output);
                }
                output.Flush(flushToDisk: true);
            }
            File.Move(partial, target, overwrite: true);
            counts[file] = lines;
        }
        WriteManifest(run, counts);
        return counts;
    }

    /// <summary>
    /// manifest.json (FHIR Bulk Data output manifest): transactionTime = the instant the results carry, one output
    /// per resource file with its count, OperationOutcome.ndjson under error; the summary and the CSV, which are not
    /// FHIR, in the manifest's extension. URLs are file URLs; the HTTP status endpoint serves its own.
    /// </summary>
    public static void WriteManifest(CohortRun run, IReadOnlyDictionary<string, long> counts) =>
        File.WriteAllText(
            Path.Combine(run.OutputFolder, CohortFiles.Manifest),
            Manifest(run, counts, file => new Uri(Path.Combine(run.OutputFolder, file)).AbsoluteUri),
            Utf8
        );

    public static string Manifest(CohortRun run, IReadOnlyDictionary<string, long> counts, Func<string, string> url)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString(
                "transactionTime",
                run.ScreenedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)
            );
            json.WriteString("request", run.Request);
            json.WriteBoolean("requiresAccessToken", run.Origin == "http");
            json.WriteStartArray("output");
            foreach (var file in CohortFiles.Resources.Where(f => f != CohortFiles.OperationOutcome))
                Entry(json, file, counts.GetValueOrDefault(file), url);
            json.WriteEndArray();
            json.WriteStartArray("error");
            Entry(json, CohortFiles.OperationOutcome, counts.GetValueOrDefault(CohortFiles.OperationOutcome), url);
            json.WriteEndArray();
            json.WriteStartObject("extension");
            json.WriteString("runId", run.RunId);
            json.WriteString("asOf", run.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("summary", url(CohortFiles.Summary));
            json.WriteString("flagged", url(CohortFiles.FlaggedCsv));
            json.WriteNumber("flaggedCount", counts.GetValueOrDefault(CohortFiles.FlaggedCsv));
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Utf8.GetString(buffer.ToArray()) + "\n";
    }

    public static void WriteSummary(CohortRun run, CohortRunSummary summary)
    {
        var path = Path.Combine(run.OutputFolder, CohortFiles.Summary);
        File.WriteAllText(path + ".partial", summary.ToJson(), Utf8);
        File.Move(path + ".partial", path, overwrite: true);
    }

    private static void Entry(Utf8JsonWriter json, string file, long count, Func<string, string> url)
    {
        json.WriteStartObject();
        json.WriteString("type", CohortFiles.TypeOf(file));
        json.WriteString("url", url(file));
        json.WriteNumber("count", count);
        json.WriteEndObject();
    }

    private static long Write(Stream output, string text)
    {
        var bytes = Utf8.GetBytes(text);
        output.Write(bytes);
        return bytes.Count(b => b == (byte)'\n');
    }

    /// <summary>The first <paramref name="length"/> bytes of a part (its committed lines); returns the lines.</summary>
    private static long Copy(string part, long length, Stream output)
    {
        using var input = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new byte[1 << 16];
        long lines = 0;
        var left = length;
        while (left > 0)
        {
            var read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
                throw new IOException($"{part} ended before its committed length {length:N0}.");
            output.Write(buffer, 0, read);
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            left -= read;
        }
        return lines;
    }
}
