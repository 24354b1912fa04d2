using Clinical.Api.Cli;
using Clinical.Fhir.Parsing;

namespace Clinical.Api.Errors;

/// <summary>
/// Where failures become an exit code and one stderr line, from the same <see cref="Failure.Of"/> as HTTP: bad input
/// exits 2 (the README's "some input invalid"), anything else 1; never a stack trace. An unexpected failure shows its
/// message: the person at the terminal is the operator who gave the input, not a remote caller.
/// </summary>
public static class CommandLineErrors
{
    public static int ExitCode(FailureClass failureClass) =>
        failureClass == FailureClass.BadInput ? Verbs.InvalidInput : Verbs.Failure;

    /// <summary>Writes the one line for the failure and returns the exit code.</summary>
    public static async Task<int> ReportAsync(Exception exception, TextWriter stderr)
    {
        var failure = Failure.Of(exception);
        await stderr.WriteLineAsync(Line(failure, exception));
        return ExitCode(failure.Class);
    }

    public static string Line(Failure failure, Exception exception) =>
        failure.Class switch
        {
            FailureClass.BadInput when failure.Issues.Count > 0 => $"error: {Describe(failure.Issues)}",
            FailureClass.BadInput => $"error: {OneLine(exception)}",
            FailureClass.Cancelled => "interrupted.",
            _ => $"error: {OneLine(exception.GetBaseException())}",
        };

    /// <summary>The issues that stop the input (errors; warnings when there are none), in one line.</summary>
    public static string Describe(IReadOnlyList<InputIssue> issues)
    {
        var errors = issues.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal).ToList();
        return string.Join("; ", (errors.Count > 0 ? errors : issues).Select(Describe));
    }

    /// <summary>
    /// An issue found in a file names the file and place (<see cref="InputIssue.Describe"/>) unless its message
    /// already names the file; an issue with an option (a validator's or an ArgumentException's) is its message, led
    /// by the option when the message does not say it.
    /// </summary>
    public static string Describe(InputIssue issue) => ErrorText.Bounded(DescribeWhole(issue));

    private static string DescribeWhole(InputIssue issue) =>
        issue.Line is not null
        || (issue.Source is { } source && !issue.Diagnostics.Contains(source, StringComparison.Ordinal))
            ? issue.Describe()
        : issue.Location is { } option
        && option.StartsWith("--", StringComparison.Ordinal)
        && !issue.Diagnostics.Contains(option, StringComparison.Ordinal)
            ? $"{option}: {issue.Diagnostics}"
        : issue.Diagnostics;

    private static string OneLine(Exception exception) =>
        string.IsNullOrWhiteSpace(exception.Message)
            ? exception.GetType().Name
            : ErrorText.Bounded(
                string.Join(' ', exception.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
            );
}
