using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Parsing;

/// <summary>
/// All resources of one patient from a bulk export, plus shared resources they may reference (Medication).
/// </summary>
public sealed record PatientGroup(string PatientReference, IReadOnlyList<AcceptedResource> Resources);

/// <summary>
/// Streams a Bulk Data export grouped by patient with bounded memory. Pass 1 reads every line once,
/// finds its patient (Patient.id, or subject/patient reference) and appends it to one of K bucket files
/// by a stable hash of the patient; pass 2 loads one bucket at a time, groups it by patient and parses
/// each line strictly. Memory is bounded by the largest bucket (~BucketBytes of lines), not the export's size.
/// A bad line is reported with its file and line number and the rest is processed.
/// </summary>
public sealed class BulkExportReader(FhirInputReader reader)
{
    public const long BucketBytes = 16L * 1024 * 1024;

    private static readonly HashSet<string> SharedTypes = new(StringComparer.Ordinal) { "Medication" };

    public IEnumerable<PatientGroup> ReadByPatient(
        BulkExportLayout layout,
        List<InputIssue> issues,
        CancellationToken cancellationToken = default
    )
    {
        issues.AddRange(layout.Notes);
        var shared = ReadShared(layout, issues);
        var totalBytes = layout.Files.Sum(f => f.Bytes);
        var bucketCount = (int)Math.Clamp((totalBytes + BucketBytes - 1) / BucketBytes, 1, 4096);
        var scratch = Directory.CreateTempSubdirectory("bulk-buckets-");
        try
        {
            var buckets = Partition(layout, bucketCount, scratch.FullName, issues, cancellationToken);
            for (var b = 0; b < bucketCount; b++)
            {
                foreach (var group in ReadBucket(buckets[b], shared, issues))
                    yield return group;
            }
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private List<AcceptedResource> ReadShared(BulkExportLayout layout, List<InputIssue> issues)
    {
        var shared = new List<AcceptedResource>();
        foreach (var file in layout.Files.Where(f => SharedTypes.Contains(f.ResourceType)))
        {
            var lineNumber = 0;
            foreach (var line in File.ReadLines(file.Path))
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                var location = $"{Path.GetFileName(file.Path)} line {lineNumber}";
                if (Parse(line, location, file.Path, issues) is { } resource)
                    shared.Add(resource);
            }
        }
        return shared;
    }

    private static string[] Partition(
        BulkExportLayout layout,
        int bucketCount,
        string scratch,
        List<InputIssue> issues,
        CancellationToken cancellationToken
    )
    {
        var paths = Enumerable.Range(0, bucketCount).Select(i => Path.Combine(scratch, $"{i:D4}.lines")).ToArray();
        var writers = paths.Select(p => new StreamWriter(p, append: false, Encoding.UTF8, 1 << 16)).ToArray();
        try
        {
            var skippedTypes = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var file in layout.Files.Where(f => !SharedTypes.Contains(f.ResourceType)))
            {
                var lineNumber = 0;
                foreach (var line in File.ReadLines(file.Path))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    lineNumber++;
                    if (string.IsNullOrWhiteSpace(line))
                        continue;
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
                    var bucket = (int)(Fnv1a.Hash32(patient) % (uint)bucketCount);
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
        return paths;
    }

    private IEnumerable<PatientGroup> ReadBucket(
        string bucketPath,
        List<AcceptedResource> shared,
        List<InputIssue> issues
    )
    {
        var groups = new Dictionary<string, List<(string File, int Line, string Json)>>(StringComparer.Ordinal);
        foreach (var row in File.ReadLines(bucketPath))
        {
            var parts = row.Split('\t', 4);
            if (!groups.TryGetValue(parts[0], out var lines))
                groups[parts[0]] = lines = [];
            lines.Add((parts[1], int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), parts[3]));
        }
        foreach (var (patient, lines) in groups)
        {
            var resources = new List<AcceptedResource>(shared);
            foreach (var (file, line, json) in lines)
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
                        $"{lines.Count} resource(s) refer to {patient}, which is not in Patient.ndjson; "
                            + "they were not used.",
                        patient,
                        Source: lines[0].File
                    )
                );
                continue;
            }
            yield return new PatientGroup(patient, resources);
        }
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
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("resourceType", out var type))
            {
                problem = "The line is not a FHIR resource (no resourceType).";
                return null;
            }
            if (type.GetString() == "Patient")
                return root.TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } value
                    ? $"Patient/{value}"
                    : null;
            foreach (var property in (string[])["subject", "patient"])
            {
                if (
                    root.TryGetProperty(property, out var reference)
                    && reference.ValueKind == JsonValueKind.Object
                    && reference.TryGetProperty("reference", out var target)
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
    }
}
