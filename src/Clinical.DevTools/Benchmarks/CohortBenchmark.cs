using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Clinical.Synthetic;

namespace Clinical.DevTools.Benchmarks;

/// <summary>
/// One configuration of the cohort benchmark: a label, the model options (given to screen-cohort and to every worker,
/// which screen too) and the options of the run itself (screen-cohort only).
/// </summary>
public sealed record CohortVariant(
    string Label,
    IReadOnlyList<string> ModelArguments,
    IReadOnlyList<string> RunArguments
);

/// <summary>
/// What one screen-cohort run did and cost, measured from outside its processes (/proc): the screen-cohort process
/// (wall, peak RSS, CPU) and, on a cluster, each worker (peak RSS and CPU from its start, model loading and joining
/// included). CoresUsed is the CPU of all of them over the screen-cohort wall time.
/// </summary>
public sealed record CohortRunFigures(
    string Variant,
    int Patients,
    int Screened,
    int Flagged,
    int Failed,
    double WallSeconds,
    double PatientsPerSecond,
    double PeakResidentMegabytes,
    double CpuSeconds,
    double CoresUsed,
    int ExitCode,
    IReadOnlyList<ProcessFigures> Workers,
    double TotalCpuSeconds
);

public sealed record CohortBenchmarkResult(
    int Patients,
    string Data,
    double GenerateSeconds,
    int Cores,
    string LoadAverageBefore,
    string LoadAverageAfter,
    int Workers,
    string Database,
    IReadOnlyList<CohortRunFigures> Runs
);

/// <summary>
/// End-to-end cohort screening as the data team runs it: a generated Bulk Data export of N patients on disk (made
/// once, kept in the data folder), then one screen-cohort process per variant, each with a fresh database and output
/// folder, sampled from outside every 250 ms (<see cref="SampledProcess"/>): wall time, peak resident memory (VmHWM),
/// CPU time (user + system) and cores used (CPU time / wall). On a cluster, worker processes join first and are
/// measured the same way, then stopped once screen-cohort ends. The load average before and after says how much the
/// machine was shared.
/// </summary>
public static class CohortBenchmark
{
    public const long Seed = 20260630;

    /// <summary>
    /// The cohort in <paramref name="folder"/>, generated unless a cohort of that size is already there.
    /// </summary>
    public static double EnsureCohort(string folder, int patients, TextWriter log)
    {
        var summary = Path.Combine(folder, "summary.json");
        if (File.Exists(summary) && Generated(summary) == patients)
            return 0;
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        log.WriteLine($"bench cohort: generating {patients:N0} patients into {folder} …");
        var watch = Stopwatch.StartNew();
        new CohortGenerator(new CohortOptions(Patients: patients, Seed: Seed, Format: CohortFormat.Ndjson)).WriteTo(
            folder
        );
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Starts the workers (each command gets the variant's model options), each once the one before has joined the
    /// cluster, then runs screen-cohort (<paramref name="command"/> + the variant's options) and measures it and
    /// them; the workers are stopped (SIGTERM) once it ends. Without workers, screen-cohort alone.
    /// </summary>
    public static async Task<CohortRunFigures> RunAsync(
        CohortVariant variant,
        IReadOnlyList<string> command,
        IReadOnlyList<IReadOnlyList<string>> workers,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken
    )
    {
        var started = new List<SampledProcess>();
        try
        {
            // One after another: the first process to open a new results database creates its tables, and two
            // doing so at once on PostgreSQL collide (the cluster's own tables are created under a lock).
            foreach (var worker in workers)
            {
                var process = SampledProcess.Start(
                    [.. worker, .. variant.ModelArguments],
                    workingDirectory,
                    environment
                );
                started.Add(process);
                await process.WaitForErrorLineAsync("joined cluster", TimeSpan.FromMinutes(5), cancellationToken);
            }
            var watch = Stopwatch.StartNew();
            using var screen = SampledProcess.Start(
                [.. command, .. variant.ModelArguments, .. variant.RunArguments],
                workingDirectory,
                environment
            );
            var (exitCode, output) = await screen.WaitForExitAsync(cancellationToken);
            var wall = watch.Elapsed.TotalSeconds;
            foreach (var worker in started)
                await worker.StopAsync(TimeSpan.FromMinutes(1));
            var (screened, flagged, failed, patients) = Tally(output);
            var own = screen.Figures("screen-cohort");
            var workerFigures = started.Select((w, i) => w.Figures($"worker {i + 1}")).ToList();
            var totalCpu = own.CpuSeconds + workerFigures.Sum(w => w.CpuSeconds);
            if (exitCode != 0)
                Console.Error.WriteLine($"bench cohort: screen-cohort exited {exitCode}: {screen.LastErrors()}");
            return new CohortRunFigures(
                variant.Label,
                patients,
                screened,
                flagged,
                failed,
                Math.Round(wall, 1),
                Math.Round(patients / wall, 1),
                own.PeakResidentMegabytes,
                own.CpuSeconds,
                Math.Round(totalCpu / wall, 2),
                exitCode,
                workerFigures,
                Math.Round(totalCpu, 1)
            );
        }
        finally
        {
            foreach (var worker in started)
                worker.Dispose();
        }
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string Describe(CohortRunFigures run)
    {
        var workers = string.Concat(
            run.Workers.Select(w =>
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"; {w.Role}: peak RSS {w.PeakResidentMegabytes:0} MB, CPU {w.CpuSeconds:0.0} s"
                )
            )
        );
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{run.Variant}: {run.Screened:N0}/{run.Patients:N0} screened ({run.Flagged:N0} flagged, {run.Failed} "
                + $"failed) in {run.WallSeconds:0.0} s = {run.PatientsPerSecond:0.0} patients/s; peak RSS "
                + $"{run.PeakResidentMegabytes:0} MB; CPU {run.CpuSeconds:0.0} s{workers}; all processes: CPU "
                + $"{run.TotalCpuSeconds:0.0} s ({run.CoresUsed:0.00} cores); exit {run.ExitCode}"
        );
    }

    private static int Generated(string summary)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(summary));
        return
            json.RootElement.TryGetProperty("patients", out var patients) && patients.ValueKind == JsonValueKind.Number
            ? patients.GetInt32()
            : -1;
    }

    /// <summary>screened, flagged, failed and read from the summary.json screen-cohort prints on stdout.</summary>
    private static (int Screened, int Flagged, int Failed, int Read) Tally(string summaryJson)
    {
        try
        {
            using var json = JsonDocument.Parse(summaryJson);
            var patients = json.RootElement.GetProperty("patients");
            return (
                patients.GetProperty("screened").GetInt32(),
                patients.GetProperty("flagged").GetInt32(),
                patients.GetProperty("failed").GetInt32(),
                patients.GetProperty("read").GetInt32()
            );
        }
        catch (JsonException)
        {
            return (0, 0, 0, 0);
        }
    }
}
