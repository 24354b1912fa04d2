using System.Text.Json.Nodes;
using Clinical.DevTools.Benchmarks;
using Clinical.DevTools.Checkpoints;
using Clinical.Models.Decoders.Llama;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;

namespace Clinical.GpuKit;

/// <summary>
/// The encoder and decoder benchmarks in the inference dtype of the device (bf16 on CUDA), with random weights of
/// production shapes ("base": a base-size RoBERTa at 8 × 512 and Salamandra-2B's configuration; "small": a 2-layer
/// encoder and the tiny Llama, for a CPU check of the kit). roberta_goldens.py and llama_goldens.py time
/// transformers on the same shapes.
/// </summary>
internal static class KitBenchmarks
{
    public static JsonObject Run(KitOptions options, ComputeTarget target)
    {
        var small = options.Bench == "small";
        var encoderOptions = new EncoderBenchmarkOptions
        {
            Device = options.Device,
            BatchSize = small ? 4 : 8,
            SequenceLength = small ? 128 : 512,
            Iterations = 3,
            CeilingMatrixSize = small ? 256 : 4096,
        };
        if (small)
            encoderOptions = encoderOptions with
            {
                Config = encoderOptions.Config with
                {
                    NumHiddenLayers = 2,
                    HiddenSize = 128,
                    NumAttentionHeads = 4,
                    IntermediateSize = 256,
                },
            };
        var encoder = EncoderBenchmark.Run(encoderOptions);

        var config = small ? TinyLlamaCheckpoint.GroupedQuery : DecoderBenchmark.Salamandra2B;
        using var model = new LlamaForCausalLM(config, target.Device, target.DType);
        model.eval();
        var bandwidth = DecoderBenchmark.CopyBandwidth(target.Device, small ? 64L << 20 : 2L << 30);
        var decoder = DecoderBenchmark.Measure(
            small ? "tiny-gqa" : "salamandra-2b-config",
            model,
            1,
            64,
            32,
            bandwidth
        );
        return new JsonObject
        {
            ["encoder"] = new JsonObject
            {
                ["target"] = encoder.Target,
                ["layers"] = encoder.Layers,
                ["hidden"] = encoder.Hidden,
                ["batch"] = encoder.BatchSize,
                ["sequence_length"] = encoder.SequenceLength,
                ["notes_per_s"] = Math.Round(encoder.NotesPerSecond, 2),
                ["achieved_gflops"] = Math.Round(encoder.AchievedGflops, 1),
                ["fraction_of_matmul_ceiling"] = Math.Round(encoder.FractionOfCeiling, 3),
            },
            ["decoder"] = new JsonObject
            {
                ["model"] = decoder.Model,
                ["target"] = decoder.Target,
                ["parameters"] = decoder.Parameters,
                ["prompt_tokens"] = 64,
                ["new_tokens"] = 32,
                ["prefill_tokens_per_s"] = Math.Round(decoder.PrefillTokensPerSecond, 1),
                ["decode_tokens_per_s"] = Math.Round(decoder.DecodeTokensPerSecond, 1),
                ["generator_decode_tokens_per_s"] = Math.Round(decoder.GeneratorDecodeTokensPerSecond, 1),
            },
        };
    }
}
