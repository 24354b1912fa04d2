using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Clinical.Api.Persistence;
using Clinical.Fhir.Parsing;

namespace Clinical.Api.Features.Cohorts.Runs;

/// <summary>What planning a run found: its shards, the patients in them, and the problems met in the inputs.</summary>
public sealed record CohortPlan(IReadOnlyList<CohortShard> Shards, int Patients, IReadOnlyList<InputIssue> Issues);

/// <summary>
/// Splits a run's inputs by patient into shards, its units of work: each Bulk Data export is partitioned by a hash of
/// the patient into shard files of about <see cref="CohortRunOptions.ShardBytes"/> (the Bulk reader's first pass,
/// kept), and Bundle files are taken in runs of <see cref="CohortRunOptions.FilesPerShard"/>, listed with the Patient
/// entries each holds. The shard files live in the run's work folder until the run completes.
/// </summary>
public sealed class CohortPlanner(BulkExportReader bulk, CohortRunOptions options)
{
    public const string ShardsFolder = "shards";

    public CohortPlan Plan(CohortRun run, string workFolder, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(workFolder, ShardsFolder);
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true); // a plan that was never committed
        Directory.CreateDirectory(folder);
        var issues = new List<InputIssue>();
        var shards = new List<CohortShard>();
        var files = new List<string>();
        var exports = 0;
        foreach (var input in FhirInputs.Enumerate(Inputs(run), issues))
        {
            if (!input.IsBulkExport)
            {
                files.Add(input.Path);
                continue;
            }
            var layout = BulkExportLayout.Discover(input.Path);
            issues.AddRange(layout.Notes);
            bulk.ReadShared(layout, issues); // its problems are reported once, here; shards read it again
            var exportFolder = Directory.CreateDirectory(Path.Combine(folder, $"export-{exports++:D2}")).FullName;
            var count = BulkExportReader.ShardCount(layout, options.ShardBytes);
            foreach (var shard in BulkExportReader.Partition(layout, exportFolder, count, issues, cancellationToken))
                shards.Add(Shard(run, shards.Count, "bulk", input.Path, shard.Path, shard.Patients));
        }
        for (var first = 0; first < files.Count; first += options.FilesPerShard)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var list = Path.Combine(folder, $"files-{shards.Count:D4}.list");
            var chunk = files
                .Skip(first)
                .Take(options.FilesPerShard)
                .Select(f => (File: f, Patients: CountPatients(f)));
            var lines = chunk.Select(c => $"{c.Patients.ToString(CultureInfo.InvariantCulture)}\t{c.File}").ToList();
            File.WriteAllLines(list, lines);
            var patients = lines.Sum(l => int.Parse(l.Split('\t')[0], CultureInfo.InvariantCulture));
            shards.Add(Shard(run, shards.Count, "files", list, list, patients));
        }
        return new CohortPlan(shards, shards.Sum(s => s.Patients), issues);
    }

    /// <summary>A Bundle-files shard's entries: the file and the Patient resources it holds.</summary>
    public static IEnumerable<(string File, int Patients)> ReadFileList(string list) =>
        File.ReadLines(list)
            .Select(line => line.Split('\t', 2))
            .Select(parts => (parts[1], int.Parse(parts[0], CultureInfo.InvariantCulture)));

    public static IReadOnlyList<string> Inputs(CohortRun run) =>
        JsonSerializer.Deserialize<List<string>>(run.InputsJson) ?? [];

    /// <summary>
    /// SHA-256 over every input file's path, size and modification time: a resumed run must read what it started on.
    /// </summary>
    public static string Fingerprint(IReadOnlyList<string> inputs)
    {
        var text = new StringBuilder();
        foreach (var input in FhirInputs.Enumerate(inputs, new List<InputIssue>()))
        {
            var paths = input.IsBulkExport
                ? BulkExportLayout.Discover(input.Path).Files.Select(f => f.Path)
                : [input.Path];
            foreach (var path in paths)
            {
                var info = new FileInfo(path);
                text.Append(CultureInfo.InvariantCulture, $"{path}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}\n");
            }
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// Patient resources in a JSON file (a Bundle's entries, or the resource itself), read without the FHIR parser;
    /// 0 for a file that is not JSON or is over the size limit (screening it reports why).
    /// </summary>
    private static int CountPatients(string file)
    {
        try
        {
            if (new FileInfo(file).Length > InputLimits.Default.MaxBytes)
                return 0;
            using var stream = File.OpenRead(file);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
            var root = document.RootElement;
            if (Type(root) == "Patient")
                return 1;
            if (Type(root) != "Bundle" || !root.TryGetProperty("entry", out var entries))
                return 0;
            return entries.ValueKind != JsonValueKind.Array
                ? 0
                : entries
                    .EnumerateArray()
                    .Count(e =>
                        e.ValueKind == JsonValueKind.Object
                        && e.TryGetProperty("resource", out var resource)
                        && Type(resource) == "Patient"
                    );
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    private static string? Type(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty("resourceType", out var type)
        && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;

    private static CohortShard Shard(
        CohortRun run,
        int index,
        string kind,
        string input,
        string source,
        int patients
    ) =>
        new()
        {
            RunId = run.RunId,
            Index = index,
            Kind = kind,
            Input = input,
            Source = source,
            Patients = patients,
            UpdatedAt = run.UpdatedAt,
        };
}
