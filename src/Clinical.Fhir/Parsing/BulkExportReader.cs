using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Parsing;

/// <summary>
/// All resources of one patient from a bulk export, plus shared resources they may reference (Medication).
/// </summary>
public sealed record PatientGroup(string PatientReference, IReadOnlyList<AcceptedResource> Resources);

/// <summary>One NDJSON line of an export, not yet parsed: its file, line number and text.</summary>
public sealed record ResourceLine(string File, int Line, string Json);

/// <summary>
/// The unparsed lines of one patient, as a shard holds them (parsed later, possibly on another thread).
/// </summary>
public sealed record PatientLines(string PatientReference, IReadOnlyList<ResourceLine> Lines);

/// <summary>
/// One shard of a partitioned export: a file holding every line of the patients whose reference hashes to it, and how
/// many Patient resources it holds.
/// </summary>
public sealed record BulkShard(int Index, string Path, int Patients);

/// <summary>
/// Streams a Bulk Data export grouped by patient with bounded memory. Pass 1 (<see cref="Partition"/>) reads every
/// line once, finds its patient (Patient.id, or subject/patient reference) and appends it to one of K shard files by a
/// stable hash of the patient; pass 2 loads one shard at a time (<see cref="ReadShard"/>), groups it by patient and
/// parses each line strictly (<see cref="Group"/>). Memory is bounded by the largest shard (~BucketBytes of lines),
/// not the export's size. Lines are decoded strictly as UTF-8 (<see cref="NdjsonLines"/>). A bad line (bytes that are
/// not UTF-8, JSON or FHIR that is not valid) is reported with its file and line number and the rest is processed. A
/// cohort job keeps the shards as its units of work; <see cref="ReadByPatient"/> does both passes in a scratch folder.
/// Shard files are copies of patient data: they are created owner-only (0600). The scratch folder of
/// <see cref="ReadByPatient"/> is owner-only and named after this process (clinical-bulk-PID-*), removed when the
/// reading ends, when the process exits or is terminated (SIGTERM, SIGHUP), and otherwise (kill -9) by the next
/// reader, which sweeps the folders of processes that no longer run.
/// </summary>
public sealed class BulkExportReader(FhirInputReader reader, string? scratchRoot = null)
{
    public const long BucketBytes = 16L * 1024 * 1024;

    public const string ScratchPrefix = "clinical-bulk-";

    private static readonly HashSet<string> SharedTypes = new(StringComparer.Ordinal) { "Medication" };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Scratch = new();

    // Normal exit raises ProcessExit; SIGTERM and SIGHUP terminate without it (since .NET 6 the runtime leaves them to
    // the default action unless a handler is registered), so they get handlers of their own that let the process end.
    private static readonly System.Runtime.InteropServices.PosixSignalRegistration?[] Signals =
    [
        OnSignal(System.Runtime.InteropServices.PosixSignal.SIGTERM),
        OnSignal(System.Runtime.InteropServices.PosixSignal.SIGHUP),
    ];

    static BulkExportReader() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteOwnScratch();

    private static System.Runtime.InteropServices.PosixSignalRegistration? OnSignal(
        System.Runtime.InteropServices.PosixSignal signal
    )
    {
        try
        {
            return System.Runtime.InteropServices.PosixSignalRegistration.Create(signal, _ => DeleteOwnScratch());
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    private string Root => scratchRoot ?? Path.GetTempPath();

    public IEnumerable<PatientGroup> ReadByPatient(
        BulkExportLayout layout,
        List<InputIssue> issues,
        CancellationToken cancellationToken = default
    )
    {
        issues.AddRange(layout.Notes);
        var shared = ReadShared(layout, issues);
        SweepAbandoned(Root);
        var scratch = CreateScratch(Root);
        try
        {
            var shards = Partition(layout, scratch, ShardCount(layout), issues, cancellationToken);
            foreach (var shard in shards)
            {
                foreach (var lines in ReadShard(shard.Path))
                {
                    if (Group(lines, shared, issues) is { } group)
                        yield return group;
                }
            }
        }
        finally
        {
            Delete(scratch);
        }
    }

    /// <summary>
    /// Removes the bucket folders of processes that no longer run (killed before they could clean up) under
    /// <paramref name="root"/>, and those of earlier versions (bulk-buckets-*) older than a day; returns how many.
    /// </summary>
    public static int SweepAbandoned(string root)
    {
        var removed = 0;
        if (!Directory.Exists(root))
            return 0;
        foreach (var folder in Directory.EnumerateDirectories(root, ScratchPrefix + "*"))
        {
            var pid = Path.GetFileName(folder)[ScratchPrefix.Length..].Split('-')[0];
            if (
                int.TryParse(pid, System.Globalization.CultureInfo.InvariantCulture, out var id)
                && id != Environment.ProcessId
                && !IsRunning(id)
            )
                removed += Delete(folder) ? 1 : 0;
        }
        foreach (var folder in Directory.EnumerateDirectories(root, "bulk-buckets-*"))
        {
            if (Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddDays(-1))
                removed += Delete(folder) ? 1 : 0;
        }
        return removed;
    }

    /// <summary>
    /// Removes the bucket folders this process still holds (at exit), or only those under <paramref name="root"/>.
    /// </summary>
    public static void DeleteOwnScratch(string? root = null)
    {
        foreach (var folder in Scratch.Keys)
        {
            if (root is null || folder.StartsWith(Path.GetFullPath(root), StringComparison.Ordinal))
                Delete(folder);
        }
    }

    private static string CreateScratch(string root)
    {
        var folder = Path.Combine(Path.GetFullPath(root), $"{ScratchPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(folder);
        else
            Directory.CreateDirectory(
                folder,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            );
        Scratch[folder] = 0;
        return folder;
    }

    private static bool Delete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
            Scratch.TryRemove(folder, out _);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Shards of about <paramref name="shardBytes"/> of lines each (1 to 4,096).</summary>
    public static int ShardCount(BulkExportLayout layout, long shardBytes = BucketBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardBytes, 1);
        var totalBytes = layout.Files.Sum(f => f.Bytes);
        return (int)Math.Clamp((totalBytes + shardBytes - 1) / shardBytes, 1, 4096);
    }

    /// <summary>The resources every patient may reference (Medication), parsed once.</summary>
    public List<AcceptedResource> ReadShared(BulkExportLayout layout, List<InputIssue> issues)
    {
        var shared = new List<AcceptedResource>();
        foreach (var file in layout.Files.Where(f => SharedTypes.Contains(f.ResourceType)))
        {
            foreach (var (lineNumber, line) in NdjsonLines.Read(file.Path, issues))
            {
                var location = $"{Path.GetFileName(file.Path)} line {lineNumber}";
                if (Parse(line, location, file.Path, issues) is { } resource)
                    shared.Add(resource);
            }
        }
        return shared;
    }

    /// <summary>
    /// Pass 1: writes <paramref name="shardCount"/> shard files (0000.lines …) under <paramref name="folder"/>; lines
    /// that cannot be placed are reported in <paramref name="issues"/>.
    /// </summary>
    public static IReadOnlyList<BulkShard> Partition(
        BulkExportLayout layout,
        string folder,
        int shardCount,
        List<InputIssue> issues,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        var paths = Enumerable.Range(0, shardCount).Select(i => Path.Combine(folder, $"{i:D4}.lines")).ToArray();
        var patients = new int[shardCount];
        var writers = paths
            .Select(p => new StreamWriter(new FileStream(p, ShardFile()), Encoding.UTF8, 1 << 16))
            .ToArray();
        try
        {
            var skippedTypes = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var file in layout.Files.Where(f => !SharedTypes.Contains(f.ResourceType)))
            {
                foreach (var (lineNumber, line) in NdjsonLines.Read(file.Path, issues))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var patient = PatientOf(line, out var problem);
                    if (patient is null)
                    {
                        if (problem is not null)
                            issues.Add(
                                new InputIssue(
                                    IssueSeverity.Error,
                                    "structure",
                                    problem,
                                    $"{Path.GetFileName(file.Path)} line {lineNumber}",
                                    lineNumber,
                                    Source: file.Path
                                )
                            );
                        else
                            skippedTypes[file.ResourceType] = skippedTypes.GetValueOrDefault(file.ResourceType) + 1;
                        continue;
                    }
                    var bucket = (int)(Fnv1a.Hash32(patient) % (uint)shardCount);
                    if (file.ResourceType == "Patient")
                        patients[bucket]++;
                    // patient, file, line number, JSON: tab-separated, JSON last and taken whole (it may hold tabs).
                    writers[bucket].Write(patient);
                    writers[bucket].Write('\t');
                    writers[bucket].Write(file.Path);
                    writers[bucket].Write('\t');
                    writers[bucket].Write(lineNumber);
                    writers[bucket].Write('\t');
                    writers[bucket].WriteLine(line);
                }
            }
            foreach (var (type, count) in skippedTypes)
                issues.Add(
                    new InputIssue(
                        IssueSeverity.Information,
                        "informational",
                        $"{count:N0} {type} resource(s) are outside any patient's compartment and were not used.",
                        Source: layout.Folder
                    )
                );
        }
        finally
        {
            foreach (var writer in writers)
                writer.Dispose();
        }
        return paths.Select((path, i) => new BulkShard(i, path, patients[i])).ToList();
    }

    private static FileStreamOptions ShardFile() =>
        OperatingSystem.IsWindows()
            ? new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write }
            : new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };

    /// <summary>
    /// Pass 2 for one shard: its patients' lines, grouped by patient in the order they first appear (the same order
    /// every time the shard is read), unparsed.
    /// </summary>
    public static IEnumerable<PatientLines> ReadShard(string shardPath)
    {
        var groups = new Dictionary<string, List<ResourceLine>>(StringComparer.Ordinal);
        var order = new List<string>();
        // Split on LF only, as the export's lines were: a CR inside a line (JSON whitespace) stays in it.
        foreach (var (_, row) in NdjsonLines.Read(shardPath, new List<InputIssue>()))
        {
            var parts = row.Split('\t', 4);
            if (!groups.TryGetValue(parts[0], out var lines))
            {
                groups[parts[0]] = lines = [];
                order.Add(parts[0]);
            }
            lines.Add(
                new ResourceLine(
                    parts[1],
                    int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture),
                    parts[3]
                )
            );
        }
        foreach (var patient in order)
            yield return new PatientLines(patient, groups[patient]);
    }

    /// <summary>
    /// Parses one patient's lines strictly; null (with a warning) when they refer to a patient the export does not
    /// hold. Thread-safe: patients of a shard may be parsed in parallel, each with its own issue list.
    /// </summary>
    public PatientGroup? Group(PatientLines patient, IReadOnlyList<AcceptedResource> shared, List<InputIssue> issues)
    {
        var resources = new List<AcceptedResource>(shared);
        foreach (var (file, line, json) in patient.Lines)
        {
            if (Parse(json, $"{Path.GetFileName(file)} line {line}", file, issues, line) is { } accepted)
                resources.Add(accepted);
        }
        if (!resources.Any(r => r.Resource is Patient))
        {
            issues.Add(
                new InputIssue(
                    IssueSeverity.Warning,
                    "not-found",
                    $"{patient.Lines.Count} resource(s) refer to {patient.PatientReference}, which is not in "
                        + "Patient.ndjson; they were not used.",
                    patient.PatientReference,
                    Source: patient.Lines[0].File
                )
            );
            return null;
        }
        return new PatientGroup(patient.PatientReference, resources);
    }

    private AcceptedResource? Parse(
        string json,
        string location,
        string file,
        List<InputIssue> issues,
        int? line = null
    )
    {
        try
        {
            var parsed = reader.Read(json, file);
            issues.AddRange(
                parsed.Issues.Select(i => i with { Location = $"{location}: {i.Location}", Line = line ?? i.Line })
            );
            var resource = parsed.Resources.SingleOrDefault();
            return resource is null ? null : resource with { Location = location };
        }
        catch (FhirInputException error)
        {
            issues.AddRange(
                error.Issues.Select(i =>
                    i with
                    {
                        Location = i.Location is null ? location : $"{location}: {i.Location}",
                        Line = line ?? i.Line,
                        Column = line is null ? i.Column : null,
                    }
                )
            );
            return null;
        }
    }

    /// <summary>
    /// "Patient/id" of the patient a resource line belongs to; null for resources outside any patient (problem set when
    /// the line is not JSON).
    /// </summary>
    internal static string? PatientOf(string line, out string? problem)
    {
        problem = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (
                root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("resourceType", out var type)
                || type.ValueKind != JsonValueKind.String
            )
            {
                problem = "The line is not a FHIR resource (no resourceType).";
                return null;
            }
            if (type.GetString() == "Patient")
                return
                    root.TryGetProperty("id", out var id)
                    && id.ValueKind == JsonValueKind.String
                    && id.GetString() is { Length: > 0 } value
                    ? $"Patient/{value}"
                    : null;
            foreach (var property in (string[])["subject", "patient"])
            {
                if (
                    root.TryGetProperty(property, out var reference)
                    && reference.ValueKind == JsonValueKind.Object
                    && reference.TryGetProperty("reference", out var target)
                    && target.ValueKind == JsonValueKind.String
                    && target.GetString() is { } text
                    && ReferenceText.PatientKey(text) is { } key
                )
                    return key;
            }
            return null;
        }
        catch (JsonException syntax)
        {
            problem = $"Invalid JSON: {syntax.Message}";
            return null;
        }
        catch (InvalidOperationException)
        {
            // GetString on a \u escape of a lone surrogate (found by the bulk fuzz target).
            problem =
                "A string holds a \\u escape of a lone UTF-16 surrogate, which is not a character "
                + "(RFC 7493 §2.1).";
            return null;
        }
    }
}
