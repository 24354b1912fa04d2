using System.Diagnostics;
using Clinical.DevTools.Checkpoints;
using Clinical.Models.Decoders.Llama;
using Clinical.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.DevTools.Benchmarks;

public sealed record DecoderBenchmarkOptions
{
    public int PromptTokens { get; init; } = 64;
    public int NewTokens { get; init; } = 32;
    public bool IncludeGpu { get; init; } = true;

    /// <summary>
    /// libtorch intra-op threads for the CPU runs (restored afterwards); null keeps the current setting. On a shared,
    /// oversubscribed machine 1 is often faster.
    /// </summary>
    public int? CpuThreads { get; init; }
}

/// <summary>
/// One model's throughput. Decode at batch 1 is memory-bound: each new token reads every weight once, so
/// BoundTokensPerSecond = measured copy bandwidth / weight bytes per token, and FractionOfBound says how close the
/// implementation gets. KV-cache reads are left out of the bound (small next to the weights at these lengths).
/// </summary>
public sealed record DecoderThroughput(
    string Model,
    string Target,
    long Parameters,
    int Batch,
    int PromptTokens,
    int NewTokens,
    double PrefillTokensPerSecond,
    double DecodeTokensPerSecond,
    double GeneratorDecodeTokensPerSecond,
    long WeightBytesPerToken,
    double CopyBytesPerSecond
)
{
    public double BoundTokensPerSecond => CopyBytesPerSecond / WeightBytesPerToken;

    public double FractionOfBound => DecodeTokensPerSecond / Batch / BoundTokensPerSecond;
}

public sealed record DecoderBenchmarkResult(string Backend, int CpuThreads, IReadOnlyList<DecoderThroughput> Runs);

/// <summary>
/// Prefill and decode tokens/s of random-weight Llama models: on the CPU the tiny test model and a mid-size one
/// (fp32), on a GPU the Salamandra-2B configuration (bf16, batch 1) against the bandwidth bound measured in the same
/// run.
/// </summary>
public static class DecoderBenchmark
{
    public static readonly LlamaConfig MidSize = TinyLlamaCheckpoint.GroupedQuery with
    {
        HiddenSize = 512,
        NumHiddenLayers = 8,
        NumAttentionHeads = 8,
        NumKeyValueHeads = 2,
        IntermediateSize = 1408,
        VocabSize = 32000,
        MaxPositionEmbeddings = 2048,
    };

    public static readonly LlamaConfig Salamandra2B = TinyLlamaCheckpoint.MultiHead with
    {
        HiddenSize = 2048,
        NumHiddenLayers = 24,
        NumAttentionHeads = 16,
        NumKeyValueHeads = 16,
        IntermediateSize = 5440,
        VocabSize = 256000,
        MaxPositionEmbeddings = 8192,
    };

    public static DecoderBenchmarkResult Run(
        DecoderBenchmarkOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        options ??= new DecoderBenchmarkOptions();
        var runs = new List<DecoderThroughput>();
        var cpu = ComputeTarget.Cpu;
        var threads = get_num_threads();
        if (options.CpuThreads is { } wanted)
            set_num_threads(wanted);
        try
        {
            var cpuBandwidth = CopyBandwidth(cpu.Device, 256L << 20);
            foreach (
                var (name, config) in new[] { ("tiny-gqa", TinyLlamaCheckpoint.GroupedQuery), ("mid-gqa", MidSize) }
            )
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var model = TinyLlamaCheckpoint.Create(config, 1, cpu.Device, cpu.DType);
                runs.Add(Measure(name, model, 1, options.PromptTokens, options.NewTokens, cpuBandwidth));
            }
        }
        finally
        {
            set_num_threads(threads);
        }
        var cpuThreads = options.CpuThreads ?? threads;
        var gpu = ComputeTarget.Available().FirstOrDefault(t => t.IsCuda);
        if (options.IncludeGpu && gpu is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var gpuBandwidth = CopyBandwidth(gpu.Device, 2L << 30);
            using var model = new LlamaForCausalLM(Salamandra2B, gpu.Device, gpu.DType);
            model.eval();
            runs.Add(Measure("salamandra-2b-config", model, 1, options.PromptTokens, options.NewTokens, gpuBandwidth));
        }
        return new DecoderBenchmarkResult(NativeTorch.Describe(), cpuThreads, runs);
    }

    /// <summary>
    /// Times one prefill of <paramref name="promptTokens"/> and <paramref name="newTokens"/> greedy decode steps (after
    /// a warm-up).
    /// </summary>
    public static DecoderThroughput Measure(
        string name,
        LlamaForCausalLM model,
        int batch,
        int promptTokens,
        int newTokens,
        double copyBytesPerSecond
    )
    {
        var config = model.Config;
        var random = new Random(17);
        var prompts = Enumerable
            .Range(0, batch)
            .Select(_ =>
                Enumerable.Range(0, promptTokens).Select(_ => (long)random.Next(6, config.VocabSize)).ToArray()
            )
            .ToArray();
        Decode(model, prompts, Math.Min(4, newTokens));
        var (prefill, decode) = Decode(model, prompts, newTokens);
        var generated = new LlamaGenerator(model).Generate(
            prompts,
            GenerationOptions.Greedy(newTokens) with
            {
                StopTokenIds = [],
            }
        );
        var parameters = model.parameters().Sum(p => p.NumberOfElements);
        return new DecoderThroughput(
            name,
            $"{model.Device.type.ToString().ToLowerInvariant()}:{model.DType}",
            parameters,
            batch,
            promptTokens,
            newTokens,
            batch * promptTokens / prefill.TotalSeconds,
            batch * (newTokens - 1) / decode.TotalSeconds,
            batch * generated.DecodeSteps / generated.Decode.TotalSeconds,
            WeightBytesPerToken(model),
            copyBytesPerSecond
        );
    }

    /// <summary>
    /// Bytes of weights a decode step reads: all of them, except the embedding table, of which only B rows are gathered
    /// (unless it is also the head).
    /// </summary>
    public static long WeightBytesPerToken(LlamaForCausalLM model)
    {
        var state = model.state_dict();
        var total = state.Values.Sum(t => t.NumberOfElements * t.ElementSize);
        var embedding = state["model.embed_tokens.weight"];
        return model.Config.TieWordEmbeddings ? total : total - embedding.NumberOfElements * embedding.ElementSize;
    }

    /// <summary>Device-to-same-device copy bandwidth, counting the bytes read and the bytes written.</summary>
    public static double CopyBandwidth(Device device, long bytes)
    {
        using var scope = NewDisposeScope();
        var source = ones(bytes, dtype: ScalarType.Byte, device: device);
        var target = empty_like(source);
        target.copy_(source);
        Synchronize(device);
        const int repeats = 10;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
            target.copy_(source);
        Synchronize(device);
        return 2.0 * bytes * repeats / clock.Elapsed.TotalSeconds;
    }

    private static (TimeSpan Prefill, TimeSpan Decode) Decode(LlamaForCausalLM model, long[][] prompts, int newTokens)
    {
        var device = model.Device;
        var (batch, length) = (prompts.Length, prompts[0].Length);
        using var noGrad = no_grad();
        using var cache = new LlamaKvCache(model.Config, batch, length + newTokens, device, model.DType);
        using var scope = NewDisposeScope();
        var tokens = ones(batch, length + newTokens, dtype: ScalarType.Int64, device: device); // (B, S)
        var ids = tensor(prompts.SelectMany(p => p).ToArray(), [batch, length], device: device); // (B, T)
        Synchronize(device);
        var clock = Stopwatch.StartNew();
        var positions = arange(length, dtype: ScalarType.Int64, device: device).expand(batch, length); // (B, T)
        var next = model
            .forward(
                ids,
                positions,
                LlamaAttentionMask.Build(tokens.narrow(1, 0, length), 0, length),
                cache,
                0,
                logitsToKeep: 1
            )
            .argmax(-1)
            .DetachFromDisposeScope(); // (B, 1)
        Synchronize(device);
        var prefill = clock.Elapsed;
        clock.Restart();
        for (var step = 0; step < newTokens - 1; step++)
        {
            using var stepScope = NewDisposeScope();
            var column = length + step;
            var position = full(batch, 1, column, dtype: ScalarType.Int64, device: device); // (B, 1)
            var logits = model.forward(
                next,
                position,
                LlamaAttentionMask.Build(tokens.narrow(1, 0, column + 1), column, 1),
                cache,
                column,
                logitsToKeep: 1
            );
            next.Dispose();
            next = logits.argmax(-1).DetachFromDisposeScope(); // (B, 1)
        }
        Synchronize(device);
        var decode = clock.Elapsed;
        next.Dispose();
        return (prefill, decode);
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA)
            cuda.synchronize(device);
    }
}
