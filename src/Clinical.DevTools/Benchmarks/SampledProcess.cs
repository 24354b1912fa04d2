using System.Diagnostics;
using System.Globalization;

namespace Clinical.DevTools.Benchmarks;

/// <summary>What one process cost, measured from outside it: peak resident set (VmHWM) and CPU time.</summary>
public sealed record ProcessFigures(string Role, double PeakResidentMegabytes, double CpuSeconds);

/// <summary>
/// A child process sampled from outside every 250 ms until it ends: peak resident memory (VmHWM) and CPU time
/// (user + system) from /proc. Its stdout is kept; its stderr is read line by line, so a caller can wait for a line.
/// </summary>
public sealed class SampledProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task _stderr;
    private readonly Task _sampling;
    private readonly List<string> _errors = [];
    private readonly List<(string Text, TaskCompletionSource Seen)> _watched = [];
    private long _peakKb;
    private long _cpuTicks;

    private SampledProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = ReadErrorsAsync();
        _sampling = SampleUntilExitAsync();
    }

    public int Id => _process.Id;

    /// <summary>Starts <paramref name="command"/> (program and arguments) with extra environment variables.</summary>
    public static SampledProcess Start(
        IReadOnlyList<string> command,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null
    )
    {
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Skip(1))
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return new SampledProcess(
            Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start.")
        );
    }

    /// <summary>
    /// Completes when a line of stderr contains <paramref name="text"/>; fails when the process ends or the time is up
    /// first.
    /// </summary>
    public async Task WaitForErrorLineAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_errors)
        {
            if (_errors.Any(l => l.Contains(text, StringComparison.Ordinal)))
                return;
            _watched.Add((text, seen));
        }
        await Task.WhenAny(
            seen.Task,
            _process.WaitForExitAsync(cancellationToken),
            Task.Delay(timeout, cancellationToken)
        );
        if (!seen.Task.IsCompleted)
            throw new InvalidOperationException(
                $"No \"{text}\" from process {Id}; its stderr ends with: {LastErrors()}"
            );
    }

    /// <summary>Waits for the process to end and answers its exit code and its stdout.</summary>
    public async Task<(int ExitCode, string Stdout)> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await Task.WhenAll(_sampling, _stderr);
        return (_process.ExitCode, await _stdout);
    }

    /// <summary>Asks the process to end (SIGTERM), as a service manager would; kills it if it is still there after the
    /// grace period.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
            return;
        using (var kill = Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var limit = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        await Task.WhenAll(_sampling, _stderr, _stdout);
    }

    /// <summary>The figures of the samples taken so far (all of them once the process has ended).</summary>
    public ProcessFigures Figures(string role) =>
        new(role, Math.Round(_peakKb / 1024.0, 1), Math.Round(_cpuTicks / (double)ClockTicksPerSecond, 1));

    public string LastErrors()
    {
        lock (_errors)
            return string.Join(" | ", _errors.TakeLast(5));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private async Task ReadErrorsAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_errors)
            {
                _errors.Add(line);
                foreach (var (text, seen) in _watched.Where(w => line.Contains(w.Text, StringComparison.Ordinal)))
                    seen.TrySetResult();
            }
        }
    }

    private async Task SampleUntilExitAsync()
    {
        var exited = _process.WaitForExitAsync();
        while (!exited.IsCompleted)
        {
            if (Sample(_process.Id) is { } sample)
                (_peakKb, _cpuTicks) = (Math.Max(_peakKb, sample.PeakKb), Math.Max(_cpuTicks, sample.CpuTicks));
            await Task.WhenAny(exited, Task.Delay(250));
        }
    }

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
}
