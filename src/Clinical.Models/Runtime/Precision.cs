namespace Clinical.Models.Runtime;

/// <summary>
/// The arithmetic a model runs in. fp32 is the reference; bf16 and int8 are validated against it per model (the
/// model card's validated_precision) before anything uses them by default.
/// </summary>
public enum Precision
{
    /// <summary>32-bit floats throughout: the reference.</summary>
    Fp32,

    /// <summary>bfloat16 weights and activations (matmuls accumulate in fp32 inside libtorch/oneDNN).</summary>
    Bf16,

    /// <summary>
    /// Dynamic int8 quantization of the encoder's linear layers: weights int8 with one scale per output channel,
    /// activations quantized per token at each call, int32 accumulation; attention, softmax, LayerNorm, GELU,
    /// embeddings and the classification head stay fp32.
    /// </summary>
    Int8,
}

/// <summary>The names precisions have in options, configuration and model cards.</summary>
public static class PrecisionNames
{
    public const string Accepted = "fp32, bf16 or int8";

    public static string Name(this Precision precision) =>
        precision switch
        {
            Precision.Fp32 => "fp32",
            Precision.Bf16 => "bf16",
            Precision.Int8 => "int8",
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
        };

    public static bool TryParse(string? text, out Precision precision)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "fp32" or "float32":
                precision = Precision.Fp32;
                return true;
            case "bf16" or "bfloat16":
                precision = Precision.Bf16;
                return true;
            case "int8":
                precision = Precision.Int8;
                return true;
            default:
                precision = Precision.Fp32;
                return false;
        }
    }

    /// <summary>
    /// A precision option: null or "auto" means "the model card's validated precision"; anything else must name one.
    /// </summary>
    public static Precision? ParseOption(string? text) =>
        string.IsNullOrWhiteSpace(text) || text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) ? null
        : TryParse(text, out var precision) ? precision
        : throw new FormatException($"Unknown precision '{text}'. Use auto, {Accepted}.");
}
