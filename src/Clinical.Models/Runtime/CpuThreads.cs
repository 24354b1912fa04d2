using System.Globalization;
using TorchSharp;

namespace Clinical.Models.Runtime;

/// <summary>
/// libtorch's intra-op thread count, chosen on purpose instead of left to libtorch. libtorch starts one OpenMP
/// thread per core and each parallel region waits for all of them, so on a machine whose cores are already busy a
/// region runs at the pace of the most starved thread: pretraining measured 52 tokens/s with the default threads and
/// about 2,400 with one thread on this project's shared 2-core machine (load 20-40). The count is
/// process-wide in libtorch, so it is set here, once, before a model runs.
/// </summary>
public static class CpuThreads
{
    private static readonly Lock Gate = new();
    private static int? _configured;
    private static int _applied;

    /// <summary>The count in use once a model has been resolved; 0 before.</summary>
    public static int Applied => _applied;

    /// <summary>
    /// Sets the count that the next model load applies: a positive number, or null for the default (see
    /// <see cref="Default"/>). Configuration: Clinical:CpuThreads.
    /// </summary>
    public static void Configure(int? threads)
    {
        if (threads is < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "CPU threads must be at least 1.");
        lock (Gate)
        {
            _configured = threads;
            _applied = 0;
        }
    }

    /// <summary>Applies the configured (or default) count to libtorch unless it already is; returns it.</summary>
    public static int EnsureApplied()
    {
        lock (Gate)
        {
            if (_applied > 0)
                return _applied;
            NativeTorch.EnsureLoaded();
            var threads = _configured ?? Default(Environment.ProcessorCount, LoadAverage());
            torch.set_num_threads(threads);
            _applied = threads;
            return threads;
        }
    }

    /// <summary>
    /// The cores available to us: the processors this process may use (cgroup quota and affinity included) less those
    /// other work keeps busy (the 1-minute load average), at least one.
    /// </summary>
    public static int Default(int processors, double? loadAverage)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(processors, 1);
        var busy = loadAverage is { } load && load > 0 ? (int)Math.Round(load) : 0;
        return Math.Clamp(processors - busy, 1, processors);
    }

    /// <summary>The 1-minute load average from /proc/loadavg (Linux); null elsewhere.</summary>
    public static double? LoadAverage()
    {
        const string path = "/proc/loadavg";
        try
        {
            return OperatingSystem.IsLinux() && File.Exists(path)
                ? double.Parse(File.ReadAllText(path).Split(' ')[0], CultureInfo.InvariantCulture)
                : null;
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
