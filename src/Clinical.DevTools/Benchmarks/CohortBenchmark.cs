using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Clinical.Synthetic;

namespace Clinical.DevTools.Benchmarks;

/// <summary>One configuration of the cohort benchmark: a label and the screen-cohort options it adds.</summary>
public sealed record CohortVariant(string Label, IReadOnlyList<string> Arguments);

/// <summary>What one screen-cohort process did and cost, measured from outside it (/proc).</summary>
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
    int ExitCode
);

public sealed record CohortBenchmarkResult(
    int Patients,
    string Data,
    double GenerateSeconds,
    int Cores,
    string LoadAverageBefore,
    string LoadAverageAfter,
    IReadOnlyList<CohortRunFigures> Runs
);

/// <summary>
/// End-to-end cohort screening as the data team runs it: a generated Bulk Data export of N patients on disk (made
/// once, kept in the data folder), then one screen-cohort process per variant, each with a fresh database and output
/// folder, sampled from outside every 250 ms: wall time, peak resident memory (VmHWM), CPU time (user + system) and
/// cores used (CPU time / wall). The load average before and after says how much the machine was shared.
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

    /// <summary>Runs screen-cohort (<paramref name="command"/> + arguments) and measures it.</summary>
    public static async Task<CohortRunFigures> RunAsync(
        CohortVariant variant,
        IReadOnlyList<string> command,
        string workingDirectory,
        CancellationToken cancellationToken
    )
    {
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Skip(1).Concat(variant.Arguments))
            start.ArgumentList.Add(argument);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("screen-cohort did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var (peakKb, cpuTicks) = (0L, 0L);
        var exited = process.WaitForExitAsync(cancellationToken);
        while (!exited.IsCompleted)
        {
            if (Sample(process.Id) is { } sample)
                (peakKb, cpuTicks) = (Math.Max(peakKb, sample.PeakKb), Math.Max(cpuTicks, sample.CpuTicks));
            await Task.WhenAny(exited, Task.Delay(250, cancellationToken));
        }
        await exited;
        var wall = watch.Elapsed.TotalSeconds;
        var output = await stdout;
        await stderr;
        var (screened, flagged, failed, patients) = Tally(output);
        var cpu = cpuTicks / (double)ClockTicksPerSecond;
        return new CohortRunFigures(
            variant.Label,
            patients,
            screened,
            flagged,
            failed,
            Math.Round(wall, 1),
            Math.Round(patients / wall, 1),
            Math.Round(peakKb / 1024.0, 1),
            Math.Round(cpu, 1),
            Math.Round(cpu / wall, 2),
            process.ExitCode
        );
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string Describe(CohortRunFigures run) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{run.Variant}: {run.Screened:N0}/{run.Patients:N0} screened ({run.Flagged:N0} flagged, {run.Failed} "
                + $"failed) in {run.WallSeconds:0.0} s = {run.PatientsPerSecond:0.0} patients/s; peak RSS "
                + $"{run.PeakResidentMegabytes:0} MB; CPU {run.CpuSeconds:0.0} s ({run.CoresUsed:0.00} cores); "
                + $"exit {run.ExitCode}"
        );

    /// <summary>
    /// Linux's USER_HZ, the unit of /proc/PID/stat's utime and stime (100 on every mainstream kernel).
    /// </summary>
    private const int ClockTicksPerSecond = 100;

    /// <summary>
    /// VmHWM (peak resident set, kB) and utime + stime (ticks) of a running process; null once it is gone.
    /// </summary>
    private static (long PeakKb, long CpuTicks)? Sample(int pid)
    {
        try
        {
            var peak = File.ReadLines($"/proc/{pid}/status")
                .Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
                .Select(l =>
                    long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)
                )
                .FirstOrDefault();
            // Fields after the command name (which may hold spaces, so cut at the last ')'): utime is the 12th, stime
            // the 13th of them (proc(5) fields 14 and 15).
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpu =
                long.Parse(fields[11], CultureInfo.InvariantCulture)
                + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (peak, cpu);
        }
        catch (IOException)
        {
            return null;
        }
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
