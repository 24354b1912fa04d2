using System.Globalization;
using Clinical.Api.Features.Cohorts.Runs;
using Spectre.Console;

namespace Clinical.Api.Cli;

/// <summary>
/// How screen-cohort shows its progress on stderr (stdout carries summary.json): a Spectre.Console progress bar on a
/// terminal (patients done of those read, patients/s, time left, flagged and failed), otherwise a plain line every
/// few seconds, for logs and CI.
/// </summary>
internal static class CohortProgressView
{
    public static async Task<T> RunAsync<T>(
        TextWriter stderr,
        bool terminal,
        TimeSpan every,
        Func<IProgress<CohortProgress>, Task<T>> work
    )
    {
        if (!terminal)
            return await work(new Lines(stderr, every));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        return await console
            .Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn()
            )
            .StartAsync(async context =>
            {
                var task = context.AddTask("reading the inputs", maxValue: 1);
                var result = await work(new Bar(task));
                task.StopTask();
                return result;
            });
    }

    /// <summary>"1,200/2,000 patients · 35.2/s · flagged 84 · failed 0".</summary>
    public static string Describe(CohortProgress progress) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{progress.Total.Done:N0}/{progress.Patients:N0} patients · {progress.PatientsPerSecond:0.0}/s · "
                + $"flagged {progress.Total.Flagged:N0} · failed {progress.Total.Failed:N0}"
        );

    private sealed class Bar(ProgressTask task) : IProgress<CohortProgress>
    {
        public void Report(CohortProgress value)
        {
            task.MaxValue = Math.Max(1, value.Patients);
            task.Value = value.Total.Done;
            task.Description = Markup.Escape(Describe(value));
        }
    }

    private sealed class Lines(TextWriter stderr, TimeSpan every) : IProgress<CohortProgress>
    {
        private readonly Lock _gate = new();
        private DateTime _last = DateTime.MinValue;
        private bool _planned;

        public void Report(CohortProgress value)
        {
            lock (_gate)
            {
                var now = DateTime.UtcNow;
                // The first report after planning, then one every few seconds, and the last batch.
                if (_planned && now - _last < every && value.NotReached > 0)
                    return;
                _planned = true;
                _last = now;
                var eta = value.Remaining is { } left ? $", about {left:hh\\:mm\\:ss} left" : "";
                stderr.WriteLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"screen-cohort {value.RunId}: {Describe(value)}, {value.NotReached:N0} not reached{eta}"
                    )
                );
            }
        }
    }
}
