using System.Diagnostics;
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
)
{
    /// <summary>
    /// The one progress line every training verb prints (pretrain, finetune):
    /// "epoch 1/3 step 40/138 loss 0.4123 lr 4.50E-004 512 tok/s elapsed 3:12 ETA 7:40".
    /// </summary>
    public string Format() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {Epoch + 1}/{Epochs} step {Step}/{TotalSteps} loss {Loss:F4} lr {LearningRate:E2} "
                + $"{TokensPerSecond:F0} tok/s elapsed {Duration(Elapsed)} ETA {Duration(Remaining)}"
        );

    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1
            ? span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : span.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}

/// <summary>
/// The progress line on stderr: rewritten in place on a terminal; otherwise (a file, a CI log: no carriage returns) a
/// plain line every N optimizer steps or every S seconds, whichever comes first, and always at the last step, so a
/// slow CPU run still shows a line every half minute. Stage lines (tokenising, evaluating, calibrating) say what a
/// run does between steps.
/// </summary>
public sealed class TrainingLog
{
    public const int DefaultEverySeconds = 30;

    private readonly TextWriter _writer;
    private readonly bool _isTerminal;
    private readonly int _everySteps;
    private readonly TimeSpan _every;
    private readonly Func<TimeSpan> _clock;
    private TimeSpan? _lastLine;

    /// <param name="clock">Time since the log was made; a test passes its own.</param>
    public TrainingLog(
        TextWriter writer,
        bool isTerminal,
        int everySteps,
        int everySeconds = DefaultEverySeconds,
        Func<TimeSpan>? clock = null
    )
    {
        _writer = writer;
        _isTerminal = isTerminal;
        _everySteps = everySteps;
        _every = TimeSpan.FromSeconds(everySeconds);
        var watch = Stopwatch.StartNew();
        _clock = clock ?? (() => watch.Elapsed);
    }

    public static TrainingLog ForStandardError(int everySteps, int everySeconds = DefaultEverySeconds) =>
        new(Console.Error, !Console.IsErrorRedirected, everySteps, everySeconds);

    public void Step(TrainingProgress p)
    {
        var now = _clock();
        var due =
            _isTerminal
            || p.Step == p.TotalSteps
            || (_everySteps > 0 && p.Step % _everySteps == 0)
            || _lastLine is null
            || (_every > TimeSpan.Zero && now - _lastLine.Value >= _every);
        if (!due)
            return;
        _lastLine = now;
        if (_isTerminal)
            _writer.Write($"\r{p.Format()}   ");
        else
            _writer.WriteLine(p.Format());
        _writer.Flush();
    }

    public void Line(string message)
    {
        if (_isTerminal)
            _writer.WriteLine();
        _writer.WriteLine(message);
        _writer.Flush();
        _lastLine = _clock();
    }
}
