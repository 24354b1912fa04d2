namespace Clinical.Models.Decoders.Llama;

/// <summary>
/// How to continue a prompt. Temperature 0 is greedy decoding; above 0 tokens are sampled
/// (after the repetition penalty, then temperature, then top-p, as transformers orders its processors)
/// with a generator seeded by <see cref="Seed"/>, so a run is reproducible.
/// </summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>
    /// Wall-clock limit for the whole call, prefill included; generation stops after the step that crosses it.
    /// </summary>
    public TimeSpan? TimeBudget { get; init; }

    public double Temperature { get; init; }

    public double TopP { get; init; } = 1.0;

    /// <summary>
    /// transformers' repetition_penalty: scores of tokens already in the prompt or output are divided by it (multiplied
    /// when negative). 1 = off.
    /// </summary>
    public double RepetitionPenalty { get; init; } = 1.0;

    public long Seed { get; init; }

    /// <summary>
    /// Token ids that end a sequence; null = the model's eos ids (Salamandra instruct: 2 and 5). An empty list never
    /// stops early.
    /// </summary>
    public IReadOnlyList<long>? StopTokenIds { get; init; }

    public static GenerationOptions Greedy(int maxNewTokens) => new() { MaxNewTokens = maxNewTokens };
}

public enum StopReason
{
    EndOfSequence,
    MaxNewTokens,
    TimeBudget,
    ContextFull,
}

/// <summary>One sequence's new tokens (without the stop token) and why it ended.</summary>
public sealed record GeneratedSequence(long[] Tokens, StopReason StopReason, long? StopTokenId);

public sealed record GenerationResult(
    IReadOnlyList<GeneratedSequence> Sequences,
    int PaddedPromptLength,
    TimeSpan Prefill,
    TimeSpan Decode,
    int DecodeSteps
);

/// <summary>A token as it is produced: sequence index in the batch, token id and step (0 = first new token).</summary>
public readonly record struct GeneratedToken(int Sequence, long TokenId, int Step);
