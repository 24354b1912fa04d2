using System.Diagnostics;
using Clinical.Api.Cli;
using Clinical.Tests;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Cli;

/// <summary>
/// The real clinical process, killed (SIGKILL) at random points of a run and resumed: the outputs and the stored rows
/// must be those of an uninterrupted run, no patient twice. Small batches and shards put many commit points in a
/// short run.
/// </summary>
public sealed class ScreenCohortKillTests : IDisposable
{
    private const string RunId = "kill-test";
    private const int Patients = 80;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Clinical__Cohorts__BatchSize"] = "6",
        ["Clinical__Cohorts__ShardBytes"] = "400000",
    };

    private readonly string _work = Directory.CreateTempSubdirectory("screen-cohort-kill-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Given_runs_killed_at_random_points_When_resumed_Then_outputs_and_rows_equal_an_unbroken_run()
    {
        var cohort = CohortRunFiles.Generate(Path.Combine(_work, "cohort"), Patients);
        var whole = Path.Combine(_work, "whole");
        var watch = Stopwatch.StartNew();
        var (exit, killed) = await Clinical(Start(cohort, whole, Path.Combine(_work, "whole.db")), killAfter: null);
        var unbroken = watch.Elapsed;
        Assert.Equal((Verbs.Success, false), (exit, killed));
        var expected = CohortRunFiles.Outputs(whole);
        var expectedRows = CohortRunFiles.StoredRows(Path.Combine(_work, "whole.db"), RunId);
        Assert.Equal(Patients, expectedRows.Count);

        var killedMidRun = 0;
        foreach (var seed in new[] { 11, 23, 37 })
        {
            var random = new Random(seed);
            var output = Path.Combine(_work, $"run-{seed}");
            var database = Path.Combine(_work, $"run-{seed}.db");
            for (var kill = 0; kill < 2; kill++)
            {
                var started = RunExists(database);
                var delay = unbroken * (0.1 + 0.8 * random.NextDouble());
                (_, killed) = await Clinical(
                    started ? Resume(output, database) : Start(cohort, output, database),
                    delay
                );
                if (!killed)
                    break;
                if (!File.Exists(Path.Combine(output, "manifest.json")))
                    killedMidRun++;
            }

            (exit, _) = await Clinical(
                RunExists(database) ? Resume(output, database) : Start(cohort, output, database),
                killAfter: null
            );

            Assert.Equal(Verbs.Success, exit);
            Assert.Equal(expected, CohortRunFiles.Outputs(output));
            Assert.Equal(expectedRows, CohortRunFiles.StoredRows(database, RunId));
        }
        Assert.True(killedMidRun > 0, "No kill landed before a run completed; the test proved nothing.");
    }

    private static string[] Start(string cohort, string output, string database) =>
        [
            "screen-cohort",
            cohort,
            "--out",
            output,
            "--run-id",
            RunId,
            "--as-of",
            "2026-06-30",
            "--database",
            database,
            "--note-model",
            "none",
        ];

    private static string[] Resume(string output, string database) =>
        [
            "screen-cohort",
            "--out",
            output,
            "--run-id",
            RunId,
            "--resume",
            "--database",
            database,
            "--note-model",
            "none",
        ];

    private static bool RunExists(string database) =>
        File.Exists(database)
        && CohortRunFiles.Count(database, "SELECT count(*) FROM sqlite_master WHERE name = 'CohortRuns'") == 1
        && CohortRunFiles.Count(database, $"SELECT count(*) FROM CohortRuns WHERE RunId = '{RunId}'") == 1;

    /// <summary>
    /// Runs the clinical executable from the repository root; kills it (SIGKILL) after the delay given.
    /// </summary>
    private static async Task<(int Exit, bool Killed)> Clinical(string[] arguments, TimeSpan? killAfter)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "clinical"))
        {
            WorkingDirectory = FixtureFiles.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in Settings)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var killed = false;
        if (killAfter is { } delay)
        {
            var exited = process.WaitForExitAsync(limit.Token);
            if (await Task.WhenAny(exited, Task.Delay(delay, limit.Token)) != exited)
            {
                process.Kill(entireProcessTree: true);
                killed = true;
            }
        }
        await process.WaitForExitAsync(limit.Token);
        await Task.WhenAll(stdout, stderr);
        Assert.True(killed || process.ExitCode is 0, $"clinical {string.Join(' ', arguments)}: {await stderr}");
        return (killed ? -1 : process.ExitCode, killed);
    }
}
