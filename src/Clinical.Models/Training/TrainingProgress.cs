using System.Globalization;

namespace Clinical.Models.Training;

/// <summary>Where a run stands after an optimizer step.</summary>
public sealed record TrainingProgress(
    int Step,
    int TotalSteps,
    int Epoch,
    int Epochs,
    double Loss,
    double LearningRate,
    double TokensPerSecond,
    TimeSpan Elapsed,
    TimeSpan Remaining
);

/// <summary>
/// The progress line: rewritten in place on a terminal, a plain log line every N steps otherwise
/// (a file or CI log gets no carriage returns).
/// </summary>
public sealed class TrainingLog(TextWriter writer, bool isTerminal, int everySteps)
{
    public static TrainingLog ForStandardError(int everySteps) =>
        new(Console.Error, !Console.IsErrorRedirected, everySteps);

    public void Step(TrainingProgress p)
    {
        if (!isTerminal && p.Step % Math.Max(1, everySteps) != 0 && p.Step != p.TotalSteps)
            return;
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {p.Epoch + 1}/{p.Epochs} step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} lr {p.LearningRate:E2} "
                + $"{p.TokensPerSecond:F0} tok/s elapsed {Format(p.Elapsed)} ETA {Format(p.Remaining)}"
        );
        if (isTerminal)
            writer.Write($"\r{line}   ");
        else
            writer.WriteLine(line);
        writer.Flush();
    }

    public void Line(string message)
    {
        if (isTerminal)
            writer.WriteLine();
        writer.WriteLine(message);
        writer.Flush();
    }

    private static string Format(TimeSpan span) =>
        span.TotalHours >= 1
            ? span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : span.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
