using Clinical.Api.Persistence;
using Clinical.Fhir.Parsing;

namespace Clinical.Api.Features.Cohorts.Runs;

/// <summary>
/// One item of a shard: a patient's unparsed lines (a Bulk export shard) or a Bundle file (a files shard), with the
/// Patient resources the plan counted in it. Key names it in issues and seeds its OperationOutcome id.
/// </summary>
public sealed record ShardItem(string Key, int Patients, PatientLines? Lines, string? File);

/// <summary>
/// Reads a shard's items in the same order every time (so a cursor says exactly what was done) and parses one item
/// into resources; thread-safe for parsing, so the items of a batch are parsed in parallel.
/// </summary>
public sealed class ShardSource
{
    private readonly CohortShard _shard;
    private readonly BulkExportReader _bulk;
    private readonly IReadOnlyList<AcceptedResource> _shared;
    private readonly IReadOnlyDictionary<string, string> _types;

    private ShardSource(
        CohortShard shard,
        BulkExportReader bulk,
        IReadOnlyList<AcceptedResource> shared,
        IReadOnlyDictionary<string, string> types
    )
    {
        _shard = shard;
        _bulk = bulk;
        _shared = shared;
        _types = types;
    }

    public static ShardSource Open(CohortShard shard, BulkExportReader bulk)
    {
        if (shard.Kind != "bulk")
            return new ShardSource(shard, bulk, [], new Dictionary<string, string>());
        var layout = BulkExportLayout.Discover(shard.Input);
        // The plan reported the shared resources' problems once for the run.
        var shared = bulk.ReadShared(layout, []);
        return new ShardSource(
            shard,
            bulk,
            shared,
            layout.Files.ToDictionary(f => f.Path, f => f.ResourceType, StringComparer.Ordinal)
        );
    }

    public IEnumerable<ShardItem> Items() =>
        _shard.Kind == "bulk"
            ? BulkExportReader
                .ReadShard(_shard.Source)
                .Select(lines => new ShardItem(
                    lines.PatientReference,
                    lines.Lines.Count(l => _types.GetValueOrDefault(l.File) == "Patient"),
                    lines,
                    null
                ))
            : CohortPlanner.ReadFileList(_shard.Source).Select(f => new ShardItem(f.File, f.Patients, null, f.File));

    /// <summary>The item's accepted resources, or null when nothing in it can be used (the issues say why).</summary>
    public IReadOnlyList<AcceptedResource>? Parse(ShardItem item, FhirInputReader reader, List<InputIssue> issues)
    {
        if (item.Lines is { } lines)
            return _bulk.Group(lines, _shared, issues)?.Resources;
        var file = item.File!;
        try
        {
            var length = new FileInfo(file).Length;
            if (length > reader.Limits.MaxBytes)
                throw new FhirInputException([
                    new InputIssue(
                        IssueSeverity.Error,
                        "too-costly",
                        $"The input is {length:N0} bytes; the limit is {reader.Limits.MaxBytes:N0}.",
                        Source: file
                    ),
                ]);
            var parsed = reader.Read(File.ReadAllText(file), file);
            issues.AddRange(parsed.Issues);
            return parsed.Resources;
        }
        catch (FhirInputException refused)
        {
            issues.AddRange(refused.Issues.Select(i => i with { Source = i.Source ?? file }));
            return null;
        }
    }
}
