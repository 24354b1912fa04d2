using Clinical.DevTools.Checkpoints;
using Clinical.DevTools.Onnx;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Text;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Clinical.DevTools.Tests.Onnx;

/// <summary>
/// ONNX Runtime on the graph built from a tiny checkpoint's weights against our TorchSharp model on the same weights,
/// for a right-padded batch of notes of different lengths. fp32: logits within 1e-4. int8: ONNX Runtime's
/// DynamicQuantizeMatMul quantizes activations per tensor (uint8, asymmetric) where ours quantizes per token, so its
/// logits are held to the product's reduced-precision bound against fp32 (0.06, as ReducedPrecisionTests).
/// </summary>
public sealed class RobertaOnnxGraphTests : IDisposable
{
    private const double Fp32Tolerance = 1e-4;
    private const double Int8Tolerance = 0.06;

    private static readonly CpuFeatures WithVnni = new("test CPU with bf16 and VNNI", Bf16: true, Int8Dot: true);

    private static readonly string[] Notes =
    [
        "Paciente de 78 años con disnea de esfuerzo y ortopnea. Edemas en MMII. Crepitantes bibasales.",
        "Niega disnea.",
        "NT-proBNP 1250 pg/mL. Se inicia furosemida 40 mg.",
        "FEVI 35%.",
    ];

    private readonly ITestOutputHelper _output;
    private readonly string _folder = Directory.CreateTempSubdirectory("tiny-roberta-onnx-").FullName;
    private readonly RobertaConfig _config;

    public RobertaOnnxGraphTests(ITestOutputHelper output)
    {
        _output = output;
        _config = TinyRobertaCheckpoint.Write(
            _folder,
            [.. Notes, "Antecedentes: HTA, DM2, FA permanente.", "Sin disnea paroxística nocturna."]
        );
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Given_tiny_checkpoint_When_run_by_onnx_runtime_in_fp32_Then_logits_equal_ours_within_1e_4()
    {
        var (ids, mask, length) = PaddedBatch();
        using var model = RobertaCheckpoint.Load(_folder, ComputeTarget.ForInference("cpu", Precision.Fp32));
        using var onnx = new OnnxRuntimeEncoder(RobertaOnnxGraph.Build(model, Precision.Fp32), threads: 1);

        var ours = Logits(model, ids, mask, length);
        var theirs = onnx.Logits(ids, mask, Notes.Length, length);

        _output.WriteLine($"max |logit difference| ONNX Runtime fp32 vs ours fp32: {MaxDifference(ours, theirs):G3}");
        Assert.Equal(Notes.Length * _config.NumLabels, theirs.Length);
        Assert.InRange(MaxDifference(ours, theirs), 0, Fp32Tolerance);
    }

    [Fact]
    public void Given_tiny_checkpoint_When_run_by_onnx_runtime_in_int8_Then_logits_are_near_fp32_but_not_equal()
    {
        var (ids, mask, length) = PaddedBatch();
        using var model = RobertaCheckpoint.Load(_folder, ComputeTarget.ForInference("cpu", Precision.Fp32));
        using var onnx = new OnnxRuntimeEncoder(RobertaOnnxGraph.Build(model, Precision.Int8), threads: 1);
        using var ourInt8 = RobertaCheckpoint.Load(
            _folder,
            ComputeTarget.ForInference("cpu", Precision.Int8, WithVnni)
        );

        var fp32 = Logits(model, ids, mask, length);
        var theirs = onnx.Logits(ids, mask, Notes.Length, length);
        var ours = Logits(ourInt8, ids, mask, length);

        _output.WriteLine(
            $"max |logit difference| ONNX Runtime int8 vs ours fp32: {MaxDifference(fp32, theirs):G3}, "
                + $"vs ours int8: {MaxDifference(ours, theirs):G3}; "
                + $"ours int8 vs ours fp32: {MaxDifference(fp32, ours):G3}"
        );
        Assert.InRange(MaxDifference(fp32, theirs), 1e-6, Int8Tolerance);
        Assert.InRange(MaxDifference(ours, theirs), 0, Int8Tolerance);
    }

    private (long[] Ids, long[] Mask, int Length) PaddedBatch()
    {
        var tokenizer = NoteTokenizer.Load(_folder);
        var pad = SpecialTokens.Require(tokenizer.Special.Pad, "padding");
        var encoded = Notes.Select(n => tokenizer.EncodeForModel(n).Ids).ToList();
        var length = encoded.Max(e => e.Count);
        Assert.True(encoded.Min(e => e.Count) < length / 2, "the batch should mix short and long notes");
        var ids = new long[Notes.Length * length];
        var mask = new long[Notes.Length * length];
        for (var b = 0; b < Notes.Length; b++)
        for (var t = 0; t < length; t++)
        {
            ids[b * length + t] = t < encoded[b].Count ? encoded[b][t] : pad;
            mask[b * length + t] = t < encoded[b].Count ? 1 : 0;
        }
        return (ids, mask, length);
    }

    private static float[] Logits(RobertaForSequenceClassification model, long[] ids, long[] mask, int length)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var logits = model.call(tensor(ids, [Notes.Length, length]), tensor(mask, [Notes.Length, length]));
        return logits.to(ScalarType.Float32).data<float>().ToArray();
    }

    private static double MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
}
