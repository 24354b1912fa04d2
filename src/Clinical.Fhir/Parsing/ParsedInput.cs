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
}
