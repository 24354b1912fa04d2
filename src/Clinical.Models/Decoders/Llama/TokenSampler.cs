using static TorchSharp.torch;

namespace Clinical.Models.Decoders.Llama;

/// <summary>
/// Picks the next token of every row from last-position logits: repetition penalty, then greedy argmax or
/// temperature + top-p (nucleus) sampling. Sampling runs on the CPU with one seeded generator, so the same
/// logits give the same tokens on any device.
/// </summary>
internal sealed class TokenSampler : IDisposable
{
    private readonly GenerationOptions _options;
    private readonly Generator? _generator;

    public TokenSampler(GenerationOptions options)
    {
        if (options.Temperature < 0)
            throw new ArgumentOutOfRangeException(nameof(options), "Temperature must be ≥ 0 (0 = greedy).");
        if (options.TopP is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(options), "TopP must be in (0, 1].");
        if (options.RepetitionPenalty <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), "RepetitionPenalty must be > 0 (1 = off).");
        _options = options;
        _generator = options.Temperature > 0 ? new Generator((ulong)options.Seed, CPU) : null;
    }

    public bool UsesPenalty => _options.RepetitionPenalty != 1.0;

    /// <param name="logits">(B, V) last-position logits, any float dtype and device.</param>
    /// <param name="seen">(B, V) bool: tokens already in the prompt or output; only read when a penalty is set.</param>
    public long[] Pick(Tensor logits, Tensor? seen)
    {
        using var scope = NewDisposeScope();
        var scores = logits.to(ScalarType.Float32);
        if (UsesPenalty && seen is not null)
        {
            var penalized = where(
                scores.lt(0),
                scores * _options.RepetitionPenalty,
                scores / _options.RepetitionPenalty
            );
            scores = where(seen, penalized, scores);
        }
        if (_generator is null)
            return scores.argmax(-1).cpu().data<long>().ToArray();

        scores = (scores / _options.Temperature).cpu();
        if (_options.TopP < 1.0)
        {
            var (sorted, order) = scores.sort(-1, descending: true);
            var probs = nn.functional.softmax(sorted, -1);
            var before = probs.cumsum(-1) - probs;
            var kept = sorted.masked_fill(before.gt(_options.TopP), float.NegativeInfinity);
            scores = full_like(scores, float.NegativeInfinity).scatter(-1, order, kept);
        }
        var sampled = multinomial(nn.functional.softmax(scores, -1), 1, generator: _generator); // (B, 1)
        return sampled.squeeze(-1).data<long>().ToArray();
    }

    public void Dispose() => _generator?.Dispose();
}
