using TorchSharp;

namespace Clinical.Models.Runtime;

/// <summary>Where and in which precision a model runs. Chosen once, here, from the user's preference.</summary>
public sealed record ComputeTarget(torch.Device Device, torch.ScalarType DType)
{
    public bool IsCuda => Device.type == DeviceType.CUDA;

    public override string ToString() => $"{Device.type.ToString().ToLowerInvariant()}:{DType}";

    /// <summary>
    /// Resolves "auto", "cpu" or "cuda[:N]". auto picks CUDA when libtorch sees a GPU.
    /// bf16 on GPU (halves weight bytes; no loss scaling needed), fp32 on CPU.
    /// </summary>
    public static ComputeTarget Resolve(string preference = "auto", torch.ScalarType? dtype = null)
    {
        NativeTorch.EnsureLoaded();
        var wanted = preference.Trim().ToLowerInvariant();
        torch.Device device = wanted switch
        {
            "auto" => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
            "cpu" => torch.CPU,
            _ when wanted.StartsWith("cuda", StringComparison.Ordinal) => torch.cuda.is_available()
                ? new torch.Device(wanted)
                : throw new InvalidOperationException(
                    $"Device '{preference}' was asked for but libtorch sees no CUDA GPU. "
                        + "Build with -p:TorchBackend=cuda on a machine with the CUDA runtime, or use --device cpu."
                ),
            _ => throw new ArgumentException(
                $"Unknown device '{preference}'. Use auto, cpu or cuda[:N].",
                nameof(preference)
            ),
        };
        if (device.type == DeviceType.CUDA)
        {
            torch.backends.cuda.matmul.allow_tf32 = true;
        }
        return new ComputeTarget(
            device,
            dtype ?? (device.type == DeviceType.CUDA ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32)
        );
    }

    public static ComputeTarget Cpu => new(torch.CPU, torch.ScalarType.Float32);

    /// <summary>
    /// Every device this process can run models on: CPU always, CUDA when present. Model tests loop over these.
    /// </summary>
    public static IReadOnlyList<ComputeTarget> Available()
    {
        NativeTorch.EnsureLoaded();
        var targets = new List<ComputeTarget> { Cpu };
        if (torch.cuda.is_available())
        {
            targets.Add(new ComputeTarget(torch.CUDA, torch.ScalarType.BFloat16));
        }
        return targets;
    }
}
