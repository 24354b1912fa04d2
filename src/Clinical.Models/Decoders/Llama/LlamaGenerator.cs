using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using static TorchSharp.torch;

namespace Clinical.Models.Decoders.Llama;

/// <summary>
/// Autoregressive decoding of a batch of prompts (token ids) with a preallocated KV cache. Prompts are
/// left-padded to a common length, with an attention mask and position ids cumsum(mask) − 1, so every row's
/// last prompt token sits at the same column and all rows decode together. Each step runs in its own
/// dispose scope: memory stays flat however many tokens are produced.
/// </summary>
public sealed class LlamaGenerator(LlamaForCausalLM model)
{
    public LlamaForCausalLM Model { get; } = model;

    /// <summary>Runs to completion and returns each prompt's continuation.</summary>
    public GenerationResult Generate(
        IReadOnlyList<long[]> prompts,
        GenerationOptions options,
        CancellationToken cancellationToken = default
    )
    {
        var run = new DecodeRun(prompts.Count);
        var tokens = prompts.Select(_ => new List<long>()).ToArray();
        foreach (var token in Decode(prompts, options, run, cancellationToken))
            tokens[token.Sequence].Add(token.TokenId);
        var sequences = tokens
            .Select((t, i) => new GeneratedSequence(t.ToArray(), run.Reasons[i], run.StopTokens[i]))
            .ToList();
        return new GenerationResult(sequences, run.PaddedPromptLength, run.Prefill, run.Decode, run.DecodeSteps);
    }

    public GenerationResult Generate(
        long[] prompt,
        GenerationOptions options,
        CancellationToken cancellationToken = default
    ) => Generate([prompt], options, cancellationToken);

    /// <summary>
    /// Streams tokens as they are produced. Decoding runs on one worker thread (TorchSharp's grad mode and
    /// dispose scopes are per thread); leaving the loop early or cancelling stops it after the current step.
    /// </summary>
    public async IAsyncEnumerable<GeneratedToken> StreamAsync(
        IReadOnlyList<long[]> prompts,
        GenerationOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var channel = Channel.CreateUnbounded<GeneratedToken>(
            new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }
        );
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            () =>
            {
                try
                {
                    foreach (var token in Decode(prompts, options, new DecodeRun(prompts.Count), stop.Token))
                        channel.Writer.TryWrite(token);
                    channel.Writer.TryComplete();
                }
                catch (Exception error)
                {
                    channel.Writer.TryComplete(error);
                }
            },
            CancellationToken.None
        );
        try
        {
            await foreach (var token in channel.Reader.ReadAllAsync(cancellationToken))
                yield return token;
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
    }

    public IAsyncEnumerable<GeneratedToken> StreamAsync(
        long[] prompt,
        GenerationOptions options,
        CancellationToken cancellationToken = default
    ) => StreamAsync([prompt], options, cancellationToken);

    private IEnumerable<GeneratedToken> Decode(
        IReadOnlyList<long[]> prompts,
        GenerationOptions options,
        DecodeRun run,
        CancellationToken cancellationToken
    )
    {
        var config = Model.Config;
        if (prompts.Count == 0 || prompts.Any(p => p.Length == 0))
            throw new ArgumentException(
                "Every prompt needs at least one token (Salamandra prompts start with <s> = 1).",
                nameof(prompts)
            );
        if (prompts.SelectMany(p => p).Any(id => id < 0 || id >= config.VocabSize))
            throw new ArgumentException($"Token ids must lie in [0, {config.VocabSize}).", nameof(prompts));
        if (options.MaxNewTokens <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxNewTokens must be positive.");

        var clock = Stopwatch.StartNew();
        var batch = prompts.Count;
        var promptLength = prompts.Max(p => p.Length);
        if (promptLength >= config.MaxPositionEmbeddings)
            throw new ArgumentException(
                $"A prompt of {promptLength} tokens leaves no room in the model's {config.MaxPositionEmbeddings} "
                    + "positions.",
                nameof(prompts)
            );
        var newTokens = Math.Min(options.MaxNewTokens, config.MaxPositionEmbeddings - promptLength);
        var capacity = promptLength + newTokens;
        var stopIds = (options.StopTokenIds ?? config.EosTokenIds).ToHashSet();
        var padId = config.PadTokenId ?? (config.EosTokenIds.Count > 0 ? config.EosTokenIds[0] : 0);
        run.PaddedPromptLength = promptLength;

        var padded = new long[batch * promptLength];
        var tokenMask = new long[batch * capacity];
        var nextPosition = new long[batch];
        for (var row = 0; row < batch; row++)
        {
            var offset = promptLength - prompts[row].Length;
            Array.Fill(padded, padId, row * promptLength, offset);
            prompts[row].CopyTo(padded, row * promptLength + offset);
            Array.Fill(tokenMask, 1L, row * capacity + offset, prompts[row].Length);
            nextPosition[row] = prompts[row].Length;
        }

        var device = Model.Device;
        using var sampler = new TokenSampler(options);
        using var cache = new LlamaKvCache(config, batch, capacity, device, Model.DType);
        using var mask = tensor(tokenMask, [batch, capacity], device: device).DetachFromDisposeScope(); // (B, S)
        using var seen = sampler.UsesPenalty ? SeenTokens(prompts, config.VocabSize, device) : null; // (B, V)
        Tensor logits;
        using (var step = NewDisposeScope())
        using (no_grad())
        {
            var ids = tensor(padded, [batch, promptLength], device: device); // (B, T)
            var promptMask = mask.narrow(1, 0, promptLength); // (B, T)
            var positions = LlamaAttentionMask.PositionIds(promptMask); // (B, T)
            var attention = LlamaAttentionMask.Build(promptMask, 0, promptLength); // (B, 1, T, T)
            logits = Model
                .forward(ids, positions, attention, cache, 0, logitsToKeep: 1)
                .squeeze(1)
                .DetachFromDisposeScope(); // (B, V)
        }
        run.Prefill = clock.Elapsed;

        var finished = new bool[batch];
        var last = new long[batch];
        try
        {
            for (var stepIndex = 0; ; stepIndex++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long[] chosen;
                using (var step = NewDisposeScope())
                using (no_grad())
                    chosen = sampler.Pick(logits, seen);

                for (var row = 0; row < batch; row++)
                {
                    if (finished[row])
                        continue;
                    if (stopIds.Contains(chosen[row]))
                    {
                        (finished[row], run.Reasons[row], run.StopTokens[row]) = (
                            true,
                            StopReason.EndOfSequence,
                            chosen[row]
                        );
                        continue;
                    }
                    last[row] = chosen[row];
                    yield return new GeneratedToken(row, chosen[row], stepIndex);
                }

                if (finished.All(f => f))
                    break;
                StopReason? over =
                    stepIndex + 1 >= options.MaxNewTokens ? StopReason.MaxNewTokens
                    : stepIndex + 1 >= newTokens ? StopReason.ContextFull
                    : options.TimeBudget is { } budget && clock.Elapsed >= budget ? StopReason.TimeBudget
                    : null;
                if (over is { } reason)
                {
                    for (var row = 0; row < batch; row++)
                        if (!finished[row])
                            run.Reasons[row] = reason;
                    break;
                }

                using (var step = NewDisposeScope())
                using (no_grad())
                {
                    var column = promptLength + stepIndex;
                    for (var row = 0; row < batch; row++)
                        if (finished[row])
                            last[row] = padId;
                    var ids = tensor(last, [batch, 1], device: device); // (B, 1)
                    var positions = tensor(nextPosition, [batch, 1], device: device); // (B, 1)
                    mask.narrow(1, column, 1).fill_(1);
                    var attention = LlamaAttentionMask.Build(mask.narrow(1, 0, column + 1), column, 1); // (B, 1, 1, S)
                    if (seen is not null)
                        seen.scatter_(1, ids, ones_like(ids, dtype: ScalarType.Bool));
                    var next = Model
                        .forward(ids, positions, attention, cache, column, logitsToKeep: 1)
                        .squeeze(1)
                        .DetachFromDisposeScope(); // (B, V)
                    logits.Dispose();
                    logits = next;
                }
                for (var row = 0; row < batch; row++)
                    nextPosition[row]++;
                run.DecodeSteps++;
            }
        }
        finally
        {
            logits.Dispose();
            run.Decode = clock.Elapsed - run.Prefill;
        }
    }

    private static Tensor SeenTokens(IReadOnlyList<long[]> prompts, int vocabSize, Device device)
    {
        var seen = new bool[prompts.Count * (long)vocabSize];
        for (var row = 0; row < prompts.Count; row++)
            foreach (var id in prompts[row])
                seen[row * (long)vocabSize + id] = true;
        using var scope = NewDisposeScope();
        return tensor(seen, [prompts.Count, vocabSize]).to(device).DetachFromDisposeScope();
    }

    private sealed class DecodeRun(int batch)
    {
        public StopReason[] Reasons { get; } = new StopReason[batch];
        public long?[] StopTokens { get; } = new long?[batch];
        public int PaddedPromptLength { get; set; }
        public TimeSpan Prefill { get; set; }
        public TimeSpan Decode { get; set; }
        public int DecodeSteps { get; set; }
    }
}
