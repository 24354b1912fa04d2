using static TorchSharp.torch;

namespace Clinical.Models.Decoders.Llama;

/// <summary>
/// Bottom-right aligned causal masks combined with a padding mask, as transformers' create_causal_mask:
/// query i (at absolute position queryStart + i) sees key j when j ≤ queryStart + i and key j is a token.
/// A padding query also sees itself, so its softmax row is never empty (no NaN leaking into later layers);
/// its output is never used.
/// </summary>
public static class LlamaAttentionMask
{
    /// <param name="keyTokens">(B, S): 1 for a token, 0 for padding.</param>
    /// <returns>(B, 1, T, S) bool, true = attend.</returns>
    public static Tensor Build(Tensor keyTokens, long queryStart, long queryLength)
    {
        using var scope = NewDisposeScope();
        var keyLength = keyTokens.shape[1];
        var queries = arange(queryStart, queryStart + queryLength, dtype: ScalarType.Int64, device: keyTokens.device)
            .unsqueeze(1); // (T, 1)
        var keys = arange(0, keyLength, dtype: ScalarType.Int64, device: keyTokens.device).unsqueeze(0); // (1, S)
        var causal = keys.le(queries).unsqueeze(0).unsqueeze(0); // (1, 1, T, S)
        var self = keys.eq(queries).unsqueeze(0).unsqueeze(0); // (1, 1, T, S)
        var isToken = keyTokens.to(ScalarType.Bool).unsqueeze(1).unsqueeze(1); // (B, 1, 1, S)
        return scope.MoveToOuter(causal.logical_and(isToken.logical_or(self)));
    }

    /// <summary>Position ids for left-padded rows: cumsum(mask) − 1, pads clamped to 0. (B, S) → (B, S).</summary>
    public static Tensor PositionIds(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(tokens.to(ScalarType.Int64).cumsum(-1).sub(1).clamp_min(0));
    }
}
