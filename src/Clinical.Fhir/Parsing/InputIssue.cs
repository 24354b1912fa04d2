namespace Clinical.Fhir.Parsing;

public enum IssueSeverity
{
    Fatal,
    Error,
    Warning,
    Information,
}

/// <summary>
/// One problem found in an input, located as precisely as the input allows. Codes are
/// FHIR issue-type codes (structure, value, invalid, required, too-costly, not-found,
/// processing, not-supported); Location is a FHIRPath expression.
/// </summary>
public sealed record InputIssue(
    IssueSeverity Severity,
    string Code,
    string Diagnostics,
    string? Location = null,
    long? Line = null,
    long? Column = null,
    string? Source = null
)
{
    /// <summary>
    /// "source: line 14, column 10 (Bundle.entry[2].resource.status): message" — one line for a terminal.
    /// </summary>
    public string Describe()
    {
        var where = new List<string>();
        if (Line is { } line)
            where.Add(Column is { } column ? $"line {line}, column {column}" : $"line {line}");
        if (!string.IsNullOrEmpty(Location))
            where.Add(Location);
        var position = where.Count > 0 ? $" ({string.Join(", ", where)})" : "";
        return $"{Source ?? "input"}{position}: {Diagnostics}";
    }
}

/// <summary>An input that cannot be used at all: nothing in it was accepted.</summary>
public sealed class FhirInputException(IReadOnlyList<InputIssue> issues)
    : Exception(issues.Count > 0 ? issues[0].Describe() : "The input is not usable FHIR.")
{
    public IReadOnlyList<InputIssue> Issues { get; } = issues;

    /// <summary>True when the input was refused for its size, which HTTP reports as 413.</summary>
    public bool IsTooLarge => Issues.Any(i => i.Code == "too-costly");
}
