using Clinical.Fhir.Parsing;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace Clinical.Fhir.Output;

public static class OperationOutcomeBuilder
{
    public static OperationOutcome From(IEnumerable<InputIssue> issues) =>
        new()
        {
            Issue = issues
                .Select(issue => new OperationOutcome.IssueComponent
                {
                    Severity = issue.Severity switch
                    {
                        Parsing.IssueSeverity.Fatal => OperationOutcome.IssueSeverity.Fatal,
                        Parsing.IssueSeverity.Error => OperationOutcome.IssueSeverity.Error,
                        Parsing.IssueSeverity.Warning => OperationOutcome.IssueSeverity.Warning,
                        _ => OperationOutcome.IssueSeverity.Information,
                    },
                    Code =
                        EnumUtility.ParseLiteral<OperationOutcome.IssueType>(issue.Code)
                        ?? OperationOutcome.IssueType.Invalid,
                    Diagnostics = issue.Source is null ? issue.Diagnostics : $"{issue.Source}: {issue.Diagnostics}",
                    Expression = string.IsNullOrEmpty(issue.Location) ? [] : [issue.Location],
                    Location = issue.Line is { } line ? [$"line {line}, col {issue.Column ?? 1}"] : [],
                })
                .ToList(),
        };
}
