using Clinical.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Clinical.Models.Encoders.Roberta;

/// <summary>
/// nn.Linear (y = x · Wᵀ + b, parameters "weight" (N, K) and "bias" (N), initialised as torch.nn.Linear does) that
/// can be switched to dynamic int8 quantization for CPU inference, as torch.ao.nn.quantized.dynamic.Linear does:
/// <see cref="Quantize"/> keeps int8 weights with one scale per output channel beside the float ones, and forward then
/// quantizes each call's activations per token (<see cref="Int8Matmul"/>). Training and fp32/bf16 inference never
/// quantize.
/// </summary>
public sealed class QuantizedLinear : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    // Not registered components: they are derived from weight, never saved, never moved by .to().
    private Tensor? _int8WeightT;
    private Tensor? _int8Scale;
    private Tensor? _fp32Bias;

    public QuantizedLinear(long inFeatures, long outFeatures, Device? device = null)
        : this(inFeatures, outFeatures, device, initialise: true) { }

    private QuantizedLinear(long inFeatures, long outFeatures, Device? device, bool initialise)
        : base(nameof(QuantizedLinear))
    {
        weight = Parameter(empty(outFeatures, inFeatures, device: device));
        bias = Parameter(empty(outFeatures, device: device));
        if (initialise)
        {
            // torch.nn.Linear.reset_parameters: kaiming_uniform_(a = sqrt(5)), bias U(±1/sqrt(fan_in)).
            using var noGrad = no_grad();
            init.kaiming_uniform_(weight, Math.Sqrt(5));
            var bound = 1 / Math.Sqrt(inFeatures);
            init.uniform_(bias, -bound, bound);
        }
        RegisterComponents();
    }

    /// <summary>Whether forward runs the int8 path.</summary>
    public bool IsQuantized => _int8WeightT is not null;

    /// <summary>Switches forward to int8 (CPU, fp32 activations). Idempotent.</summary>
    public void Quantize()
    {
        if (IsQuantized)
            return;
        if (weight.device_type != DeviceType.CPU)
            throw new InvalidOperationException("int8 linear layers run on the CPU only.");
        var (weightT, scale) = Int8Matmul.QuantizeWeight(weight);
        // Owned by this module for its lifetime, whatever dispose scope the caller quantizes in.
        _int8WeightT = weightT.DetachFromDisposeScope();
        _int8Scale = scale.DetachFromDisposeScope();
        using (no_grad())
            _fp32Bias = bias.detach().to(ScalarType.Float32).DetachFromDisposeScope();
    }

    public override Tensor forward(Tensor input) =>
        _int8WeightT is null
            ? functional.linear(input, weight, bias)
            : Int8Matmul.Linear(input, _int8WeightT, _int8Scale!, _fp32Bias!);

    /// <summary>
    /// One layer whose weight is the given layers' weights stacked along the output channels: the layers that read
    /// the same input (attention's query, key and value) become one matmul, so int8 quantizes that input once. Per
    /// channel weight scales and per token activation scales make its outputs exactly the parts' outputs.
    /// </summary>
    public static QuantizedLinear Concatenate(params QuantizedLinear[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var inFeatures = parts[0].weight.shape[1];
        var fused = new QuantizedLinear(
            inFeatures,
            parts.Sum(p => p.weight.shape[0]),
            parts[0].weight.device,
            initialise: false
        );
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        fused.weight.copy_(cat(parts.Select(p => (Tensor)p.weight).ToList(), 0));
        fused.bias.copy_(cat(parts.Select(p => (Tensor)p.bias).ToList(), 0));
        return fused;
    }

    /// <summary>
    /// Quantizes the int8 layers of a model (<see cref="IInt8Layers"/>); returns how many modules had them.
    /// </summary>
    public static int QuantizeAll(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var modules = model.modules().OfType<IInt8Layers>().ToList();
        foreach (var module in modules)
            module.QuantizeInt8();
        return modules.Count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _int8WeightT?.Dispose();
            _int8Scale?.Dispose();
            _fp32Bias?.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>A module whose linear layers run in int8 once quantized; the rest of it stays in float.</summary>
internal interface IInt8Layers
{
    void QuantizeInt8();
}
