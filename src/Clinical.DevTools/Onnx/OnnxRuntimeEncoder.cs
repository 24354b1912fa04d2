using Microsoft.ML.OnnxRuntime;

namespace Clinical.DevTools.Onnx;

/// <summary>
/// An ONNX Runtime CPU session over a <see cref="RobertaOnnxGraph"/> model: all graph optimizations on (ONNX
/// Runtime's default, which fuses GELU, bias and attention patterns where it recognises them), sequential execution,
/// and the intra-op thread count we give libtorch, so that both run on the same cores.
/// </summary>
public sealed class OnnxRuntimeEncoder : IDisposable
{
    private static readonly string[] InputNames = ["input_ids", "attention_mask"];
    private static readonly string[] OutputNames = ["logits"];

    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();

    public OnnxRuntimeEncoder(byte[] model, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        _session = new InferenceSession(model, options);
    }

    /// <summary>Logits (batch × labels, row-major) for ids and their mask, both (batch, length).</summary>
    public float[] Logits(long[] inputIds, long[] attentionMask, int batch, int length)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        if (inputIds.Length != batch * length || attentionMask.Length != batch * length)
            throw new ArgumentException($"input_ids and attention_mask must each hold {batch} × {length} values.");
        long[] shape = [batch, length];
        using var ids = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(attentionMask, shape);
        using var outputs = _session.Run(_run, InputNames, [ids, mask], OutputNames);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose()
    {
        _run.Dispose();
        _session.Dispose();
    }
}
