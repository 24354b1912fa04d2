using TorchSharp;

namespace Clinical.Models.Runtime;

/// <summary>Loads libtorch once and turns a loader failure into an actionable message.</summary>
public static class NativeTorch
{
    private static readonly Lazy<string> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A short description of the loaded backend, e.g. "libtorch 2.10 (cpu, 2 threads)".</summary>
    public static string Describe() => Loaded.Value;

    public static void EnsureLoaded() => _ = Loaded.Value;

    private static string Load()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            var cuda = torch.cuda.is_available() ? $", cuda x{torch.cuda.device_count()}" : "";
            return $"libtorch {torch.__version__} (cpu{cuda}, {torch.get_num_threads()} threads)";
        }
        catch (Exception ex) when (ex is DllNotFoundException or NotSupportedException or TypeInitializationException)
        {
            throw new InvalidOperationException(
                "libtorch could not be loaded. Build through the repository (dotnet build), which marks "
                    + "libLibTorchSharp.so's GLIBCXX_3.4.32 need weak for Debian 12; a copied binary misses that step. "
                    + $"Loader said: {ex.GetBaseException().Message}",
                ex
            );
        }
    }
}
