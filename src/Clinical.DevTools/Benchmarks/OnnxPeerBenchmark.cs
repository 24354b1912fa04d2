using System.Diagnostics;
using Clinical.DevTools.Onnx;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.DevTools.Benchmarks;

public sealed record OnnxPeerOptions
{
    public int Layers { get; init; } = 12;

    /// <summary>A multiple of 64: heads of 64 dimensions and a feed-forward of 4 × hidden, as in base.</summary>
    public int Hidden { get; init; } = 768;
    public int BatchSize { get; init; } = 8;
    public int SequenceLength { get; init; } = 512;
    public int Rounds { get; init; } = 5;

    /// <summary>Batches each engine runs back to back in a round (more for small shapes: short batches).</summary>
    public int Iterations { get; init; } = 1;

    /// <summary>The CPU the reduced precisions are checked against; the machine's own by default.</summary>
    public CpuFeatures? Cpu { get; init; }
    public long Seed { get; init; } = 1234;

    /// <summary>
    /// A base-shaped RoBERTa at this size (vocabulary 52000, 514 positions, 2 labels); an ArgumentException names a
    /// hidden size it cannot have.
    /// </summary>
    public RobertaConfig EncoderConfig() =>
        Hidden % 64 == 0 && Hidden > 0
            ? new()
            {
                VocabSize = 52000,
                HiddenSize = Hidden,
                NumHiddenLayers = Layers,
                NumAttentionHeads = Hidden / 64,
                IntermediateSize = 4 * Hidden,
                MaxPositionEmbeddings = 514,
                TypeVocabSize = 1,
                LayerNormEps = 1e-5,
                PadTokenId = 1,
            }
            : throw new ArgumentException($"hidden size {Hidden} is not a positive multiple of 64.");
}

/// <summary>
/// One engine's figures: notes/s in each round (in round order), their median, the median relative to ONNX Runtime
/// fp32's, and its largest logit difference from ours in fp32 on the benchmark batch (the same computation check at
/// this shape).
/// </summary>
public sealed record OnnxPeerEngine(
    string Engine,
    string Precision,
    string? PrecisionNote,
    IReadOnlyList<double> NotesPerSecond,
    double MedianNotesPerSecond,
    double MedianGflops,
    double RelativeToOnnxRuntimeFp32,
    double MaxLogitDifferenceFromOursFp32
);

public sealed record OnnxPeerResult(
    string Backend,
    string OnnxRuntime,
    int CpuThreads,
    int Layers,
    int Hidden,
    int BatchSize,
    int SequenceLength,
    int Rounds,
    int Iterations,
    double GflopPerBatch,
    double? LoadAverageAtStart,
    double? LoadAverageAtEnd,
    IReadOnlyList<OnnxPeerEngine> Engines
);

/// <summary>
/// Our encoder in fp32, bf16 and int8 against ONNX Runtime (CPU) in fp32 and int8 (<see cref="RobertaOnnxGraph"/>),
/// the same random weights and the same batch of full-length windows, on the same intra-op thread count. Each round
/// times one batch per engine (or the mean of <see cref="OnnxPeerOptions.Iterations"/>); the engines alternate
/// within a round and the round's first engine rotates, so that a change in the machine's load (a shared machine)
/// falls on every engine alike. Each engine runs one untimed batch first. Medians over the rounds are the figures
/// to compare.
/// </summary>
public static class OnnxPeerBenchmark
{
    private const string OnnxRuntimeFp32 = "onnxruntime-fp32";

    private sealed record Engine(
        string Name,
        string Precision,
        string? PrecisionNote,
        Func<float[]> Logits,
        IDisposable Owner
    );

    /// <exception cref="ArgumentException">A shape the encoder cannot have (the message says why).</exception>
    public static OnnxPeerResult Run(OnnxPeerOptions options, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = options.EncoderConfig();
        if (options.SequenceLength > config.MaxSequenceLength)
            throw new ArgumentException(
                $"{options.SequenceLength} tokens exceed the encoder's {config.MaxSequenceLength} positions."
            );
        var loadAtStart = CpuThreads.LoadAverage();
        var threads = CpuThreads.EnsureApplied();
        var (batch, length) = (options.BatchSize, options.SequenceLength);
        var random = new Random((int)options.Seed);
        var ids = Enumerable.Range(0, batch * length).Select(_ => (long)random.Next(3, config.VocabSize)).ToArray();
        var mask = Enumerable.Repeat(1L, batch * length).ToArray();

        var engines = new List<Engine>();
        try
        {
            foreach (var precision in new[] { Precision.Fp32, Precision.Bf16, Precision.Int8 })
                engines.Add(Ours(config, options, precision, ids, mask));
            using (var reference = RobertaInitialisation.Random(config, options.Seed))
            {
                foreach (var precision in new[] { Precision.Fp32, Precision.Int8 })
                {
                    var onnx = new OnnxRuntimeEncoder(RobertaOnnxGraph.Build(reference, precision), threads);
                    float[] Logits() => onnx.Logits(ids, mask, batch, length);
                    engines.Add(new($"onnxruntime-{precision.Name()}", precision.Name(), null, Logits, onnx));
                }
            }

            var warm = engines.Select(e => e.Logits()).ToList();
            var seconds = engines.Select(_ => new List<double>()).ToList();
            for (var round = 0; round < options.Rounds; round++)
            {
                var order = Enumerable.Range(0, engines.Count).Select(i => (i + round) % engines.Count).ToList();
                foreach (var i in order)
                {
                    var clock = Stopwatch.StartNew();
                    for (var iteration = 0; iteration < options.Iterations; iteration++)
                        engines[i].Logits();
                    seconds[i].Add(clock.Elapsed.TotalSeconds / options.Iterations);
                }
                progress?.Invoke(
                    $"round {round + 1} (load {CpuThreads.LoadAverage():0.0}): "
                        + string.Join(", ", order.Select(i => $"{engines[i].Name} {batch / seconds[i][^1]:0.00}"))
                        + " notes/s"
                );
            }

            var flops = EncoderBenchmark.MatmulFlops(config, batch, length);
            var medians = seconds.Select(s => batch / Median(s)).ToList();
            var peer = medians[engines.FindIndex(e => e.Name == OnnxRuntimeFp32)];
            return new OnnxPeerResult(
                NativeTorch.Describe(),
                OrtEnv.Instance().GetVersionString(),
                threads,
                config.NumHiddenLayers,
                config.HiddenSize,
                batch,
                length,
                options.Rounds,
                options.Iterations,
                flops / 1e9,
                loadAtStart,
                CpuThreads.LoadAverage(),
                engines
                    .Select(
                        (e, i) =>
                            new OnnxPeerEngine(
                                e.Name,
                                e.Precision,
                                e.PrecisionNote,
                                seconds[i].Select(s => batch / s).ToList(),
                                medians[i],
                                medians[i] / batch * flops / 1e9,
                                medians[i] / peer,
                                warm[i].Zip(warm[0], (a, b) => Math.Abs((double)a - b)).Max()
                            )
                    )
                    .ToList()
            );
        }
        finally
        {
            foreach (var engine in engines)
                engine.Owner.Dispose();
        }
    }

    /// <summary>Our classifier at a precision, from the same seed as the others (so the same weights).</summary>
    private static Engine Ours(
        RobertaConfig config,
        OnnxPeerOptions options,
        Precision precision,
        long[] ids,
        long[] mask
    )
    {
        var target = ComputeTarget.ForInference("cpu", precision, options.Cpu);
        var model = RobertaInitialisation.Random(config, options.Seed);
        model.to(target.DType);
        model.eval();
        if (target.Precision == Precision.Int8)
            QuantizedLinear.QuantizeAll(model);
        var shape = new long[] { options.BatchSize, options.SequenceLength };
        var inputIds = tensor(ids, shape);
        var attentionMask = tensor(mask, shape);
        float[] Logits()
        {
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            return model.call(inputIds, attentionMask).to(ScalarType.Float32).data<float>().ToArray();
        }
        return new Engine(
            $"ours-{precision.Name()}",
            target.Precision.Name(),
            target.PrecisionNote,
            Logits,
            new Owned(model, inputIds, attentionMask)
        );
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private sealed class Owned(params IDisposable[] parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (var part in parts)
                part.Dispose();
        }
    }
}
