using System.Text;
using System.Text.RegularExpressions;
using Clinical.Fhir.Parsing;

namespace Clinical.Api.Errors;

/// <summary>
/// The one renderer of error text that leaves the process (OperationOutcome bodies, WWW-Authenticate, stderr lines).
/// Error messages quote what the caller sent (a token's issuer, a value Firely could not read), so what they quote is
/// bounded and made safe for where it goes: a header value is printable ASCII only (RFC 9110 §5.5; Kestrel throws on
/// anything else, which was a 500), an echo is truncated (a 10 MB value must not come back as a 10 MB error), and a
/// .NET type name never reaches the caller.
/// </summary>
public static partial class ErrorText
{
    /// <summary>Longest message an issue keeps; the rest is cut and its length said.</summary>
    public const int MaxMessageCharacters = 1_000;

    /// <summary>Longest header value (error_description) written.</summary>
    public const int MaxHeaderCharacters = 300;

    /// <summary>Issues listed in one OperationOutcome; the others are counted in a last issue.</summary>
    public const int MaxIssues = 100;

    /// <summary>A quoted value inside a message: at most <paramref name="max"/> characters, controls shown.</summary>
    public static string Echo(string? value, int max = 80)
    {
        if (value is null)
            return "";
        var shown = Truncate(value, max);
        var text = new StringBuilder(shown.Length);
        foreach (var c in shown)
            text.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        return text.ToString();
    }

    /// <summary>A value for an HTTP header: printable ASCII, quotes and backslashes replaced, bounded.</summary>
    public static string ForHeader(string text)
    {
        var header = new StringBuilder(Math.Min(text.Length, MaxHeaderCharacters));
        foreach (var c in text)
        {
            if (header.Length >= MaxHeaderCharacters)
            {
                header.Append("...");
                break;
            }
            header.Append(
                c switch
                {
                    '"' or '\\' => '\'',
                    '\u2212' or '\u2013' or '\u2014' => '-',
                    >= ' ' and <= '~' => c,
                    _ when char.IsWhiteSpace(c) || char.IsControl(c) => ' ',
                    _ => '?',
                }
            );
        }
        return header.ToString();
    }

    /// <summary>A message cut to <see cref="MaxMessageCharacters"/> (the command line may show types).</summary>
    public static string Bounded(string message) => Truncate(message, MaxMessageCharacters);

    /// <summary>A message as a remote caller may read it: no .NET type names, bounded.</summary>
    public static string ForCaller(string message) =>
        Truncate(TypeName().Replace(message, match => FriendlyType(match.Value)), MaxMessageCharacters);

    /// <summary>
    /// Issues as an OperationOutcome may carry them: every message and location rendered for the caller, at most
    /// <see cref="MaxIssues"/> issues, and never none (OperationOutcome.issue is 1..*).
    /// </summary>
    public static IReadOnlyList<InputIssue> ForCaller(IReadOnlyList<InputIssue> issues, int status)
    {
        if (issues.Count == 0)
            return
            [
                new InputIssue(
                    status >= 500 ? IssueSeverity.Fatal : IssueSeverity.Error,
                    status >= 500 ? "exception" : "processing",
                    $"The request failed with HTTP status {status}."
                ),
            ];
        var shown = issues
            .Take(MaxIssues)
            .Select(i =>
                i with
                {
                    Diagnostics = ForCaller(i.Diagnostics),
                    Location = i.Location is null ? null : Truncate(i.Location, 200),
                    Source = i.Source is null ? null : Truncate(i.Source, 200),
                }
            )
            .ToList();
        if (issues.Count > MaxIssues)
            shown.Add(
                new InputIssue(
                    IssueSeverity.Information,
                    "informational",
                    $"{issues.Count - MaxIssues:N0} more issue(s) are not listed."
                )
            );
        return shown;
    }

    private static string Truncate(string text, int max) =>
        text.Length <= max ? text : $"{text[..max]}... ({text.Length:N0} characters in all)";

    private static string FriendlyType(string typeName) =>
        typeName.Split('.')[^1].TrimEnd('[', ']', '?') switch
        {
            "String" or "Char" => "a string",
            "Boolean" => "true or false",
            "Int16" or "Int32" or "Int64" or "UInt16" or "UInt32" or "UInt64" or "Byte" => "an integer",
            "Decimal" or "Double" or "Single" => "a number",
            "DateOnly" or "DateTime" or "DateTimeOffset" => "a date",
            "Guid" => "a UUID",
            _ => "a value of another JSON type",
        };

    // Namespaced .NET type names as System.Text.Json and the BCL write them (System.String, Clinical.Api.X+Y).
    [GeneratedRegex(@"\b(?:System|Microsoft|Clinical|Hl7|FluentValidation|Mediator)(?:\.[A-Za-z_][\w`+]*)+(?:\[\])?")]
    private static partial Regex TypeName();
}
