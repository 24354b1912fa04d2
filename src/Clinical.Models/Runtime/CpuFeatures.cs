using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Clinical.Models.Runtime;

/// <summary>
/// The CPU instructions that make reduced precision pay, read at run time. Without bf16 dot products oneDNN emulates
/// bf16 through fp32 (slower than fp32); without int8 dot products an int8 matmul gains little. A CPU lacking them
/// runs fp32.
/// </summary>
/// <param name="Model">The CPU's name, for reports.</param>
/// <param name="Bf16">bf16 dot products: x86 avx512_bf16 or amx_bf16, Arm bf16.</param>
/// <param name="Int8Dot">int8 dot products: x86 avx512_vnni, avx_vnni or amx_int8, Arm asimddp (sdot) or i8mm.</param>
public sealed record CpuFeatures(string Model, bool Bf16, bool Int8Dot)
{
    private static readonly Lazy<CpuFeatures> Detected = new(Read);

    private static readonly string[] Bf16Flags = ["avx512_bf16", "amx_bf16", "bf16"];
    private static readonly string[] Int8Flags = ["avx512_vnni", "avx_vnni", "amx_int8", "asimddp", "i8mm"];

    /// <summary>This machine's CPU (read once per process).</summary>
    public static CpuFeatures Current => Detected.Value;

    /// <summary>What a report says about the instructions found.</summary>
    public string Describe() =>
        $"{Model} (bf16 dot products: {(Bf16 ? "yes" : "no")}, int8 dot products: {(Int8Dot ? "yes" : "no")})";

    /// <summary>Whether this CPU runs the precision natively (fp32 always).</summary>
    public bool Supports(Precision precision) =>
        precision switch
        {
            Precision.Fp32 => true,
            Precision.Bf16 => Bf16,
            Precision.Int8 => Int8Dot,
            _ => false,
        };

    /// <summary>
    /// The features named by a Linux /proc/cpuinfo text: x86 "flags" lines, Arm "Features" lines. The first processor
    /// decides (all cores of a machine share one instruction set).
    /// </summary>
    public static CpuFeatures FromCpuInfo(string cpuinfo)
    {
        ArgumentNullException.ThrowIfNull(cpuinfo);
        string? model = null;
        HashSet<string>? flags = null;
        foreach (var line in cpuinfo.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                continue;
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (model is null && key is "model name" or "Model" or "CPU part")
                model = value;
            if (flags is null && key is "flags" or "Features")
                flags = value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        }
        flags ??= [];
        return new CpuFeatures(
            model ?? RuntimeInformation.ProcessArchitecture.ToString(),
            Bf16Flags.Any(flags.Contains),
            Int8Flags.Any(flags.Contains)
        );
    }

    private static CpuFeatures Read()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (OperatingSystem.IsLinux() && File.Exists(cpuinfo))
            return FromCpuInfo(File.ReadAllText(cpuinfo));
        // Elsewhere .NET names the int8 dot products; no .NET API names bf16 ones, so bf16 is left off (fp32 runs).
        return new CpuFeatures(
            RuntimeInformation.ProcessArchitecture.ToString(),
            Bf16: false,
            Int8Dot: AvxVnni.IsSupported || AdvSimd.Arm64.IsSupported && Dp.IsSupported
        );
    }
}
