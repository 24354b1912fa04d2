using TorchSharp;

namespace Clinical.Models.Runtime;

/// <summary>
/// Where and in which precision a model runs. Chosen once, here, from the user's preference, the model card and the
/// CPU's instructions; the libtorch thread count is applied on the way (<see cref="CpuThreads"/>).
/// </summary>
public sealed record ComputeTarget(torch.Device Device, torch.ScalarType DType)
{
    public bool IsCuda => Device.type == DeviceType.CUDA;

    /// <summary>
    /// The arithmetic: <see cref="Precision.Fp32"/> and <see cref="Precision.Bf16"/> follow DType;
    /// <see cref="Precision.Int8"/> keeps DType fp32 for everything but the int8 linear layers.
    /// </summary>
    public Precision Precision { get; init; } = DType == torch.ScalarType.BFloat16 ? Precision.Bf16 : Precision.Fp32;

    /// <summary>
    /// True when the precision was left to the model ("auto"): the card's validated precision applies.
    /// </summary>
    public bool PrecisionFromModel { get; init; }

    /// <summary>Why the precision asked for is not the one used (e.g. a CPU without bf16); null when it is.</summary>
    public string? PrecisionNote { get; init; }

    /// <summary>The CPU the precision was checked against (the machine's own unless a test gives another).</summary>
    public CpuFeatures Processor { get; init; } = CpuFeatures.Current;

    public override string ToString() =>
        $"{Device.type.ToString().ToLowerInvariant()}:{(Precision == Precision.Int8 ? "Int8" : DType.ToString())}";

    /// <summary>
    /// Resolves "auto", "cpu" or "cuda[:N]". auto picks CUDA when libtorch sees a GPU.
    /// bf16 on GPU (halves weight bytes; no loss scaling needed), fp32 on CPU.
    /// </summary>
    public static ComputeTarget Resolve(string preference = "auto", torch.ScalarType? dtype = null)
    {
        var device = ResolveDevice(preference);
        return new ComputeTarget(
            device,
            dtype ?? (device.type == DeviceType.CUDA ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32)
        );
    }

    /// <summary>
    /// The target for inference: the device as in <see cref="Resolve(string, torch.ScalarType?)"/> and the precision
    /// asked for, or (null, "auto") the model card's validated precision once the model is known
    /// (<see cref="ForModel"/>). A precision this machine cannot run natively falls back, with the reason in
    /// <see cref="PrecisionNote"/>: bf16 or int8 on a CPU without those dot products runs fp32, int8 on a GPU runs
    /// bf16.
    /// </summary>
    /// <param name="cpu">The CPU to check against; the machine's own by default (tests pass another).</param>
    public static ComputeTarget ForInference(string device, Precision? precision, CpuFeatures? cpu = null)
    {
        var resolved = Resolve(device) with { Processor = cpu ?? CpuFeatures.Current };
        return precision is { } asked ? resolved.WithPrecision(asked) : resolved with { PrecisionFromModel = true };
    }

    /// <summary>
    /// This target with the model card's validated precision when the precision was left to the model; unchanged when
    /// it was asked for or the card names none.
    /// </summary>
    public ComputeTarget ForModel(Precision? validated) =>
        PrecisionFromModel && validated is { } precision ? WithPrecision(precision) : this;

    private ComputeTarget WithPrecision(Precision asked)
    {
        if (IsCuda)
            return asked == Precision.Int8
                ? this with
                {
                    DType = torch.ScalarType.BFloat16,
                    Precision = Precision.Bf16,
                    PrecisionNote = "int8 is a CPU path; the GPU runs bf16.",
                }
                : this with
                {
                    DType = DTypeOf(asked),
                    Precision = asked,
                };
        if (!Processor.Supports(asked))
            return this with
            {
                DType = torch.ScalarType.Float32,
                Precision = Precision.Fp32,
                PrecisionNote =
                    $"{asked.Name()} asked for, but this CPU, {Processor.Describe()}, lacks the instructions "
                    + "for it; running fp32.",
            };
        return this with { DType = DTypeOf(asked), Precision = asked };
    }

    private static torch.ScalarType DTypeOf(Precision precision) =>
        precision == Precision.Bf16 ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32;

    private static torch.Device ResolveDevice(string preference)
    {
        NativeTorch.EnsureLoaded();
        CpuThreads.EnsureApplied();
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
        return device;
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
