using System.Diagnostics;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.DevTools.Benchmarks;

public sealed record EncoderBenchmarkOptions
{
    public string Device { get; init; } = "auto";
    public int BatchSize { get; init; } = 8;
    public int SequenceLength { get; init; } = 512;
    public int Iterations { get; init; } = 3;
    public int Warmup { get; init; } = 1;

    /// <summary>
    /// The arithmetic asked for; a CPU without the instructions for it runs fp32 (the result says so).
    /// </summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>The CPU the precision is checked against; the machine's own by default.</summary>
    public CpuFeatures? Cpu { get; init; }

    /// <summary>Side of the square matmul that measures the machine's ceiling.</summary>
    public int CeilingMatrixSize { get; init; } = 2048;
    public int CeilingRepeats { get; init; } = 5;

    /// <summary>
    /// The encoder to time; defaults to a base-size RoBERTa (12 × 768, vocabulary 52000, 514 positions, 2 labels).
    /// </summary>
    public RobertaConfig Config { get; init; } =
        new()
        {
            VocabSize = 52000,
            HiddenSize = 768,
            NumHiddenLayers = 12,
            NumAttentionHeads = 12,
            IntermediateSize = 3072,
            MaxPositionEmbeddings = 514,
            TypeVocabSize = 1,
            LayerNormEps = 1e-5,
            PadTokenId = 1,
        };
}

/// <summary>
/// Throughput of the note encoder at full windows, and how close it gets to this machine's own matmul
/// ceiling for the same arithmetic measured in the same run: AchievedGflops / CeilingGflops (fp32 and bf16: a square
/// matmul in that dtype; int8: the same int8 × int8 → int32 matmul the quantized layers use, in GOP/s). Both the
/// batch time and the ceiling are the best of their timed repeats, so on a shared machine they are measured alike;
/// the ceiling is taken before and after the encoder runs. MeanSecondsPerBatch shows how much the repeats varied.
/// </summary>
public sealed record EncoderBenchmarkResult(
    string Backend,
    string Target,
    string Precision,
    string? PrecisionNote,
    int CpuThreads,
    int Layers,
    int Hidden,
    int BatchSize,
    int SequenceLength,
    int Iterations,
    double SecondsPerBatch,
    double MeanSecondsPerBatch,
    double NotesPerSecond,
    double GflopPerBatch,
    double AchievedGflops,
    double CeilingGflops,
    double FractionOfCeiling
);

/// <summary>The encoder over a corpus's window lengths (<see cref="EncoderBenchmark.RunCorpus"/>).</summary>
public sealed record CorpusEncoderResult(
    string Target,
    string Precision,
    string? PrecisionNote,
    int CpuThreads,
    string Corpus,
    int Notes,
    int Windows,
    double MeanWindowTokens,
    bool PaddedToFull,
    int BatchSize,
    double Seconds,
    double MeanSeconds,
    double NotesPerSecond,
    double AchievedGflops
);

public static class EncoderBenchmark
{
    /// <summary>
    /// Matmul FLOPs (2 per multiply-add) of one forward pass: per layer Q, K, V and output
    /// projections 8·B·T·C², feed-forward 4·B·T·C·I, attention scores and weighted sum 4·B·T²·C;
    /// the classification head 2·B·C·(C + labels).
    /// </summary>
    public static double MatmulFlops(RobertaConfig config, int batch, int length)
    {
        double b = batch,
            t = length,
            c = config.HiddenSize,
            i = config.IntermediateSize;
        var perLayer = 8 * b * t * c * c + 4 * b * t * c * i + 4 * b * t * t * c;
        return config.NumHiddenLayers * perLayer + 2 * b * c * (c + config.NumLabels);
    }

    public static EncoderBenchmarkResult Run(EncoderBenchmarkOptions options)
    {
        var target = ComputeTarget.ForInference(options.Device, options.Precision, options.Cpu);
        var config = options.Config;
        if (options.SequenceLength > config.MaxSequenceLength)
            throw new ArgumentException(
                $"Sequence length {options.SequenceLength} exceeds the encoder's {config.MaxSequenceLength} positions.",
                nameof(options)
            );

        var ceilingBefore = MatmulCeilingGflops(target, options.CeilingMatrixSize, options.CeilingRepeats);
        using var model = RandomModel(config, target);
        using var inference = inference_mode();

        var seconds = new List<double>();
        for (var i = 0; i < options.Warmup + options.Iterations; i++)
        {
            using var scope = NewDisposeScope();
            var ids = randint(
                3,
                config.VocabSize,
                [options.BatchSize, options.SequenceLength],
                dtype: ScalarType.Int64,
                device: target.Device
            );
            var mask = ones([options.BatchSize, options.SequenceLength], ScalarType.Int64, target.Device);
            Synchronize(ids);
            var clock = Stopwatch.StartNew();
            var logits = model.call(ids, mask);
            Synchronize(logits);
            if (i >= options.Warmup)
                seconds.Add(clock.Elapsed.TotalSeconds);
        }

        var perBatch = seconds.Min();
        var flops = MatmulFlops(config, options.BatchSize, options.SequenceLength);
        var achieved = flops / perBatch / 1e9;
        var ceiling = Math.Max(
            ceilingBefore,
            MatmulCeilingGflops(target, options.CeilingMatrixSize, options.CeilingRepeats)
        );
        return new EncoderBenchmarkResult(
            NativeTorch.Describe(),
            target.ToString(),
            target.Precision.Name(),
            target.PrecisionNote,
            torch.get_num_threads(),
            config.NumHiddenLayers,
            config.HiddenSize,
            options.BatchSize,
            options.SequenceLength,
            options.Iterations,
            perBatch,
            seconds.Average(),
            options.BatchSize / perBatch,
            flops / 1e9,
            achieved,
            ceiling,
            achieved / ceiling
        );
    }

    /// <summary>
    /// Notes/s over a corpus's real window lengths: windows sorted longest first, batched, each batch padded only to
    /// its longest window, as NoteClassifier runs them; <paramref name="padToFull"/> pads every window to the full
    /// sequence length instead (the cost of not packing). Best of the timed passes over all windows.
    /// </summary>
    public static CorpusEncoderResult RunCorpus(EncoderBenchmarkOptions options, CorpusWindows corpus, bool padToFull)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(corpus);
        var target = ComputeTarget.ForInference(options.Device, options.Precision, options.Cpu);
        var config = options.Config;
        var lengths = corpus
            .Lengths.Select(l => padToFull ? options.SequenceLength : Math.Min(l, options.SequenceLength))
            .OrderByDescending(l => l)
            .ToList();
        var batches = lengths.Chunk(options.BatchSize).ToList();
        using var model = RandomModel(config, target);
        using var inference = inference_mode();

        void Pass(IEnumerable<int[]> which)
        {
            foreach (var batch in which)
            {
                using var scope = NewDisposeScope();
                var length = batch[0];
                var ids = randint(3, config.VocabSize, [batch.Length, length], ScalarType.Int64, device: target.Device);
                var positions = arange(length, device: target.Device).unsqueeze(0); // (1, T)
                var real = tensor(batch.Select(b => (long)b).ToArray(), device: target.Device).unsqueeze(1); // (B, 1)
                var mask = positions.lt(real).to(ScalarType.Int64); // (B, T)
                Synchronize(model.call(ids, mask));
            }
        }

        Pass(batches.Take(1));
        var seconds = new List<double>();
        for (var i = 0; i < options.Iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            Pass(batches);
            seconds.Add(clock.Elapsed.TotalSeconds);
        }
        var best = seconds.Min();
        var flops = batches.Sum(b => MatmulFlops(config, b.Length, b[0]));
        return new CorpusEncoderResult(
            target.ToString(),
            target.Precision.Name(),
            target.PrecisionNote,
            torch.get_num_threads(),
            corpus.Source,
            corpus.Notes,
            lengths.Count,
            corpus.MeanLength,
            padToFull,
            options.BatchSize,
            best,
            seconds.Average(),
            corpus.Notes / best,
            flops / best / 1e9
        );
    }

    private static RobertaForSequenceClassification RandomModel(RobertaConfig config, ComputeTarget target)
    {
        var model = new RobertaForSequenceClassification(config, target.Device);
        model.to(target.DType);
        model.eval();
        if (target.Precision == Precision.Int8)
            QuantizedLinear.QuantizeAll(model);
        return model;
    }

    /// <summary>
    /// Best of several n×n matmuls in the target's arithmetic through libtorch, in GFLOP/s (int8: GOP/s of
    /// <see cref="Int8Matmul.Multiply"/>).
    /// </summary>
    public static double MatmulCeilingGflops(ComputeTarget target, int n, int repeats)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var int8 = target.Precision == Precision.Int8;
        var a = int8
            ? randint(-127, 128, [n, n], ScalarType.Int8, target.Device)
            : randn([n, n], target.DType, target.Device);
        var b = int8
            ? randint(-127, 128, [n, n], ScalarType.Int8, target.Device)
            : randn([n, n], target.DType, target.Device);
        Tensor Multiply() => int8 ? Int8Matmul.Multiply(a, b) : matmul(a, b);
        Synchronize(Multiply());
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            using var inner = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            Synchronize(Multiply());
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    private static void Synchronize(Tensor t)
    {
        if (t.device_type == DeviceType.CUDA)
            torch.cuda.synchronize(t.device);
    }
}
