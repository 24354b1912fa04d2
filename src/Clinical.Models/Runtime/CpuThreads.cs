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
    private static CpuMode _mode;
    private static int _applied;
    private static int _sideBySide = 1;

    /// <summary>The count in use once a model has been resolved; 0 before.</summary>
    public static int Applied => _applied;

    /// <summary>Forward passes a note classifier runs at once on the CPU (<see cref="CpuMode"/>); 1 before.</summary>
    public static int SideBySide => _sideBySide;

    /// <summary>
    /// Sets the count that the next model load applies: a positive number, or null for the default (see
    /// <see cref="Plan"/>), and how the cores are used. Configuration: Clinical:CpuThreads, Clinical:CpuMode.
    /// </summary>
    public static void Configure(int? threads, CpuMode mode = CpuMode.Latency)
    {
        if (threads is < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "CPU threads must be at least 1.");
        lock (Gate)
        {
            _configured = threads;
            _mode = mode;
            _applied = 0;
            _sideBySide = 1;
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
            var (threads, sideBySide) = Plan(Environment.ProcessorCount, LoadAverage(), _configured, _mode);
            torch.set_num_threads(threads);
            _applied = threads;
            _sideBySide = sideBySide;
            return threads;
        }
    }

    /// <summary>
    /// libtorch's intra-op threads and the forward passes run side by side. Latency: the configured count or the
    /// cores other work leaves free (<see cref="Default"/>) inside each pass, passes one after another. Throughput:
    /// one thread per pass unless configured, and as many passes at once as the processors hold. Passes side by side
    /// never wait on each other, so busy cores only share time with them and the load average is not consulted: it
    /// lags, and right after another job it would leave a core idle. On the bundled note model a 10,000-patient cohort
    /// ran at 170 patients/s this way, against 132 with both cores inside each pass.
    /// </summary>
    public static (int IntraOp, int SideBySide) Plan(int processors, double? loadAverage, int? configured, CpuMode mode)
    {
        if (mode == CpuMode.Latency)
            return (configured ?? Default(processors, loadAverage), 1);
        var intraOp = configured ?? 1;
        return (intraOp, Math.Max(1, processors / intraOp));
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

/// <summary>
/// How note inference uses the CPU's cores. Latency (requests, the hook): every core inside each forward pass.
/// Throughput (cohort jobs): forward passes side by side, one core each, which wastes no time waiting between
/// threads on a small model and keeps a large one's matmuls as efficient. Configuration: Clinical:CpuMode.
/// </summary>
public enum CpuMode
{
    Latency,
    Throughput,
}
