using Hl7.Fhir.Model;

namespace Clinical.Fhir.Parsing;

/// <summary>A resource accepted from an input, with the fullUrl it was known by (if any).</summary>
public sealed record AcceptedResource(Resource Resource, string? FullUrl, string Location);

/// <summary>
/// What one input yielded: the resources accepted and the issues found (per entry when the input is a Bundle or
/// NDJSON).
/// </summary>
public sealed record ParsedInput(
    string Source,
    IReadOnlyList<AcceptedResource> Resources,
    IReadOnlyList<InputIssue> Issues
)
{
    public bool HasErrors => Issues.Any(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal);

    /// <summary>"Type/id" of the resources held twice with different content (the later copy was left out).</summary>
    public IReadOnlyCollection<string> ConflictingIds { get; init; } = [];

    /// <summary>
    /// Inputs that one request sent as separate pieces (a CDS hook's prefetch values), read as one input: a resource
    /// with the type and id of one in an earlier piece is left out with an issue naming both pieces, as within one
    /// Bundle (<see cref="DuplicateIds"/>); every piece's own issues are kept.
    /// </summary>
    public static ParsedInput Merge(string source, IEnumerable<ParsedInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var ids = new DuplicateIds();
        var resources = new List<AcceptedResource>();
        var issues = new List<InputIssue>();
        var conflicting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            issues.AddRange(input.Issues);
            conflicting.UnionWith(input.ConflictingIds);
            foreach (var accepted in input.Resources)
            {
                var entry = accepted.Location.EndsWith(".resource", StringComparison.Ordinal)
                    ? accepted.Location[..^".resource".Length]
                    : accepted.Location;
                var where = $"{input.Source} {entry}";
                if (ids.Check(accepted.Resource, where, $"{accepted.Location}.id", input.Source) is { } duplicate)
                    issues.Add(duplicate);
                else
                    resources.Add(accepted);
            }
        }
        conflicting.UnionWith(ids.Conflicting);
        return new ParsedInput(source, resources, issues) { ConflictingIds = conflicting };
    }
}
