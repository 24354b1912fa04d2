using Hl7.Fhir.Model;

namespace Clinical.Fhir.Parsing;

/// <summary>
/// The resources read so far by type and id: the entries of one Bundle, or every piece of one request that are read
/// separately (a CDS hook's prefetch values). A later resource with the type and id of an earlier one is left out, with
/// an issue naming both: an exact copy is harmless (information; counting it twice is not), a different one is a
/// conflict the service cannot settle (error; two Patients with one id would otherwise merge two people's records,
/// issue 16). Different meta.versionIds of one resource may stand side by side (bdl-7) and are both read.
/// </summary>
public sealed class DuplicateIds
{
    private readonly Dictionary<string, (Resource Resource, string Where)> _first = new(StringComparer.Ordinal);
    private readonly HashSet<string> _conflicting = new(StringComparer.Ordinal);

    /// <summary>"Type/id" of every resource that came again with different content.</summary>
    public IReadOnlyCollection<string> Conflicting => _conflicting;

    /// <summary>
    /// Null when the resource is to be read (the first of its type and id, or another version of it); otherwise the
    /// issue, and the resource is to be left out. <paramref name="where"/> names the resource in messages
    /// (Bundle.entry[3], or "prefetch.conditions Bundle.entry[3]"); the issue is at <paramref name="location"/>.
    /// </summary>
    public InputIssue? Check(Resource resource, string where, string location, string source)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (string.IsNullOrEmpty(resource.Id))
            return null;
        var key = $"{resource.TypeName}/{resource.Id}";
        if (_first.TryAdd(key, (resource, where)))
            return null;
        var first = _first[key];
        if (resource.Meta?.VersionId is { } version && version != first.Resource.Meta?.VersionId)
            return null;
        if (resource.IsExactly(first.Resource))
            return new InputIssue(
                IssueSeverity.Information,
                "duplicate",
                $"{key} appears again in {where}, identical to {first.Where}; the copy was read once.",
                location,
                Source: source
            );
        _conflicting.Add(key);
        return new InputIssue(
            IssueSeverity.Error,
            "duplicate",
            $"{key} appears twice with different content ({first.Where} and {where})"
                + (resource is Patient ? ": two patients with one id cannot be told apart" : "")
                + $"; the one in {where} was left out.",
            location,
            Source: source
        );
    }
}
