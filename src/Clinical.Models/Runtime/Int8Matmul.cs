using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Runtime;

/// <summary>
/// Dynamically quantized int8 linear layers on the CPU: weights symmetric int8 with one scale per output channel,
/// activations symmetric int8 with one scale per row (token) computed at each call, int8 × int8 products accumulated
/// in int32 by libtorch's <c>torch._int_mm</c> (oneDNN's s8s8s32 matmul, VNNI dot products where the CPU has them),
/// then rescaled to fp32. TorchSharp 0.107 binds neither <c>_int_mm</c> nor the fbgemm/oneDNN quantized linear ops
/// (its native library exports quantize_per_tensor/channel, dequantize and int_repr only, and TorchScript compiled
/// from C# cannot reach <c>torch.ops.quantized.*</c>), so the one op is reached through a TorchScript function
/// compiled once per process: TorchScript resolves every aten op libtorch registers.
/// </summary>
public static class Int8Matmul
{
    // Dtype codes, as TorchScript compiled from C++ has no torch.int8 names: 1 = int8, 6 = float32.
    // TorchScript needs the source to end with a newline, which a raw string literal drops. Some compile errors
    // (an unresolved builtin such as torch.ops.quantized) abort the process instead of throwing, so the script is a
    // constant that the tests compile.
    private const string Script = """
        def linear(x: Tensor, weight_t: Tensor, weight_scale: Tensor, bias: Tensor) -> Tensor:
            rows = x.reshape(-1, x.shape[-1])
            scale = rows.abs().amax(1, True).clamp(min=1e-12) / 127.0
            quantized = (rows / scale).round_().to(dtype=1)
            accumulated = torch._int_mm(quantized, weight_t)
            y = torch.addcmul(bias, accumulated.to(dtype=6).mul_(scale), weight_scale)
            return y.reshape(x.shape[:-1] + [weight_t.shape[1]])

        def int_mm(a: Tensor, b: Tensor) -> Tensor:
            return torch._int_mm(a, b)
        """;

    private static readonly Lazy<jit.CompilationUnit> Unit = new(
        () =>
        {
            NativeTorch.EnsureLoaded();
            return jit.compile(Script + "\n");
        },
        LazyThreadSafetyMode.ExecutionAndPublication
    );

    /// <summary>
    /// Symmetric per-output-channel int8 weights: scale = max |w_row| / 127, w ≈ int8 · scale.
    /// </summary>
    /// <param name="weight">(N, K) in any floating dtype</param>
    /// <returns>the int8 weights transposed as a view (K, N) of an (N, K) tensor, and the fp32 scales (N)</returns>
    public static (Tensor WeightT, Tensor Scale) QuantizeWeight(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var w = weight.detach().to(ScalarType.Float32);
        var scale = w.abs().amax([1]).clamp_min(1e-12).div(127.0); // (N)
        var quantized = w.div(scale.unsqueeze(1)).round_().clamp_(-127, 127).to(ScalarType.Int8); // (N, K)
        return (quantized.t().MoveToOuterDisposeScope(), scale.MoveToOuterDisposeScope()); // (K, N), (N)
    }

    /// <summary>The bare int8 × int8 → int32 matmul the linear layers use (for the benchmark's ceiling).</summary>
    /// <param name="a">(M, K) int8</param>
    /// <param name="b">(K, N) int8</param>
    /// <returns>(M, N) int32</returns>
    public static Tensor Multiply(Tensor a, Tensor b) => (Tensor)Unit.Value.invoke("int_mm", a, b);

    /// <summary>y = x · Wᵀ + b with x quantized per row at this call.</summary>
    /// <param name="x">(..., K) fp32</param>
    /// <param name="weightT">(K, N) int8 from <see cref="QuantizeWeight"/></param>
    /// <param name="weightScale">(N) fp32</param>
    /// <param name="bias">(N) fp32</param>
    /// <returns>(..., N) fp32</returns>
    public static Tensor Linear(Tensor x, Tensor weightT, Tensor weightScale, Tensor bias) =>
        (Tensor)Unit.Value.invoke("linear", x, weightT, weightScale, bias);
}
