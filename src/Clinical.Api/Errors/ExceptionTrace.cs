using System.Text;

namespace Clinical.Api.Errors;

/// <summary>
/// An exception as logs may keep it: the type and stack trace of it and of every inner exception, and no message.
/// Messages can quote the input (a patient's name, a sentence of a note, a value); stack frames name only code.
/// </summary>
public static class ExceptionTrace
{
    public static string WithoutMessages(Exception exception)
    {
        var text = new StringBuilder();
        Append(text, exception, depth: 0);
        return text.ToString().TrimEnd();
    }

    private static void Append(StringBuilder text, Exception exception, int depth)
    {
        var indent = new string(' ', depth * 2);
        text.Append(indent).Append(depth == 0 ? "" : "---> ").AppendLine(exception.GetType().FullName);
        foreach (var frame in (exception.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            text.Append(indent).AppendLine(frame.TrimEnd('\r'));
        IEnumerable<Exception> inner =
            exception is AggregateException aggregate ? aggregate.InnerExceptions
            : exception.InnerException is { } one ? [one]
            : [];
        foreach (var cause in inner)
            Append(text, cause, depth + 1);
    }
}
