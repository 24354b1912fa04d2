using System.Text.Json.Nodes;
using Clinical.DevTools.Benchmarks;
using Clinical.Models.Decoders.Llama;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using static TorchSharp.torch;

namespace Clinical.GpuKit;

/// <summary>
/// What the kit checks and measures, on the device asked for:
/// - token ids: the C# tokenizer's ids equal transformers' tokenizer's, where the script could tokenize;
/// - fp32 parity (TF32 off on both sides): last hidden state and logits of each encoder within
///   <see cref="HiddenAtol"/> and <see cref="LogitsAtol"/>, Llama logits within <see cref="LlamaLogitsAtol"/>,
///   greedy tokens equal;
/// - bf16: the same inputs in bf16; logits within <see cref="Bf16RelativeTolerance"/> of the largest fp32 logit
///   (bf16 keeps 8 bits of mantissa: about 0.4 % per rounding, accumulated over the layers), and greedy agreement
///   with transformers' own bf16 run reported (not failed: bf16 may flip near-tied argmaxes);
/// - benchmarks: encoder notes/s (batches of full windows) and decoder tokens/s, next to transformers' figures from
///   the same machine when the scripts ran.
/// Without goldens (transformers missing) the parity checks are reported as skipped, and bf16 is compared with the
/// C# fp32 run instead.
/// </summary>
internal static class KitRun
{
    public const double HiddenAtol = 1e-4;
    public const double LogitsAtol = 1e-4;
    public const double LlamaLogitsAtol = 1e-4;
    public const double Bf16RelativeTolerance = 0.05;

    public static JsonObject Run(KitOptions options)
    {
        var inputs = KitInputs.Read(options.Kit);
        var fp32 = options.Target(ScalarType.Float32);
        backends.cuda.matmul.allow_tf32 = false;
        var bf16 = options.Target(ScalarType.BFloat16);
        var checks = new JsonArray();
        var goldens = new JsonObject();
        foreach (var name in KitInputs.EncoderNames)
        {
            var golden = Golden(options.Goldens, name);
            goldens[name] = golden is null ? "absent" : "present";
            Encoder(checks, options.Kit, name, inputs.Encoders[name], golden, fp32, bf16);
        }
        var llama = Golden(options.Goldens, "llama");
        goldens["llama"] = llama is null ? "absent" : "present";
        Decoder(checks, options.Kit, inputs, llama, fp32, bf16);
        backends.cuda.matmul.allow_tf32 = true;

        return new JsonObject
        {
            ["libtorch"] = NativeTorch.Describe(),
            ["device"] = fp32.Device.ToString(),
            ["goldens"] = goldens,
            ["tolerances"] = new JsonObject
            {
                ["encoder_hidden_atol"] = HiddenAtol,
                ["encoder_logits_atol"] = LogitsAtol,
                ["llama_logits_atol"] = LlamaLogitsAtol,
                ["bf16_logits_relative"] = Bf16RelativeTolerance,
            },
            ["checks"] = checks,
            ["benchmarks"] =
                options.Bench == "none" ? null : KitBenchmarks.Run(options, ComputeTarget.Resolve(options.Device)),
            ["transformers_benchmarks"] = Golden(options.Goldens, "transformers_bench"),
        };
    }

    private static JsonObject? Golden(string directory, string name)
    {
        var path = Path.Combine(directory, name + ".json");
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : null;
    }

    private static void Encoder(
        JsonArray checks,
        string kit,
        string name,
        IReadOnlyList<int[]> ids,
        JsonObject? golden,
        ComputeTarget fp32,
        ComputeTarget bf16
    )
    {
        var folder = Path.Combine(kit, name);
        if (golden?["tokenizer_ids"] is JsonArray reference)
        {
            var theirs = Ints.ReadRows(reference);
            var equal = ids.Select((row, i) => row.SequenceEqual(theirs[i])).Count(x => x);
            checks.Add(Check($"{name} token ids", equal == ids.Count, $"{equal}/{ids.Count} texts equal"));
        }
        else
            checks.Add(Skipped($"{name} token ids", golden?["tokenizer_note"]?.GetValue<string>() ?? "no goldens"));

        var (hidden, logits) = RunEncoder(folder, ids, fp32);
        var (_, logits16) = RunEncoder(folder, ids, bf16);
        var cases = golden?["cases"]?.AsArray();
        if (cases is null)
        {
            checks.Add(Skipped($"{name} fp32 hidden states and logits", "no goldens"));
            checks.Add(Bf16Check($"{name} bf16 logits vs C# fp32", logits16, logits));
            return;
        }
        var hiddenDiff = 0.0;
        var logitsDiff = 0.0;
        for (var i = 0; i < ids.Count; i++)
        {
            hiddenDiff = Math.Max(hiddenDiff, MaxDiff(hidden[i], Ints.ReadFloats(cases[i]!["last_hidden_state"]!)));
            logitsDiff = Math.Max(logitsDiff, MaxDiff(logits[i], Ints.ReadFloats(cases[i]!["logits"]!)));
        }
        checks.Add(
            Check(
                $"{name} fp32 hidden states and logits",
                hiddenDiff <= HiddenAtol && logitsDiff <= LogitsAtol,
                $"max |Δ| hidden {hiddenDiff:0.###e+0} (atol {HiddenAtol}), logits {logitsDiff:0.###e+0} "
                    + $"(atol {LogitsAtol})"
            )
        );
        var expected = cases.Select(c => Ints.ReadFloats(c!["logits"]!)).ToList();
        checks.Add(Bf16Check($"{name} bf16 logits vs transformers fp32", logits16, expected));
    }

    internal static (List<float[]> Hidden, List<float[]> Logits) RunEncoder(
        string folder,
        IReadOnlyList<int[]> ids,
        ComputeTarget target
    )
    {
        using var model = RobertaCheckpoint.Load(folder, target);
        using var inference = inference_mode();
        var hidden = new List<float[]>();
        var logits = new List<float[]>();
        foreach (var row in ids)
        {
            using var scope = NewDisposeScope();
            var input = tensor(row.Select(i => (long)i).ToArray(), [1, row.Length], device: target.Device);
            var mask = ones([1, row.Length], ScalarType.Int64, target.Device);
            hidden.Add(Floats(model.Encode(input, mask)));
            logits.Add(Floats(model.call(input, mask)));
        }
        return (hidden, logits);
    }

    private static void Decoder(
        JsonArray checks,
        string kit,
        KitInputs inputs,
        JsonObject? golden,
        ComputeTarget fp32,
        ComputeTarget bf16
    )
    {
        var folder = Path.Combine(kit, "llama");
        if (golden?["tokenizer_ids"] is JsonArray reference)
        {
            var equal = Ints.ReadRow(reference).SequenceEqual(inputs.LlamaPrompt);
            checks.Add(Check("llama token ids", equal, equal ? "prompt ids equal" : "prompt ids differ"));
        }
        else
            checks.Add(Skipped("llama token ids", golden?["tokenizer_note"]?.GetValue<string>() ?? "no goldens"));

        var (logits, greedy) = RunDecoder(folder, inputs, fp32);
        var (logits16, greedy16) = RunDecoder(folder, inputs, bf16);
        if (golden is null)
        {
            checks.Add(Skipped("llama fp32 logits", "no goldens"));
            checks.Add(Skipped("llama greedy tokens", "no goldens"));
            checks.Add(Bf16Check("llama bf16 logits vs C# fp32", [logits16], [logits]));
            checks.Add(Info("llama bf16 greedy agreement with C# fp32", Agreement(greedy16, greedy)));
            return;
        }
        var diff = MaxDiff(logits, Ints.ReadFloats(golden["logits"]!));
        checks.Add(
            Check("llama fp32 logits", diff <= LlamaLogitsAtol, $"max |Δ| {diff:0.###e+0} (atol {LlamaLogitsAtol})")
        );
        var expected = Ints.ReadRow(golden["greedy"]!);
        checks.Add(
            Check(
                "llama greedy tokens",
                greedy.SequenceEqual(expected.Select(i => (long)i)),
                $"{Agreement(greedy, expected.Select(i => (long)i).ToArray())} tokens equal generate's"
            )
        );
        checks.Add(
            Bf16Check("llama bf16 logits vs transformers fp32", [logits16], [Ints.ReadFloats(golden["logits"]!)])
        );
        if (golden["greedy_bf16"] is JsonArray theirs16)
            checks.Add(
                Info(
                    "llama bf16 greedy agreement with transformers bf16",
                    Agreement(greedy16, [.. Ints.ReadRow(theirs16).Select(i => (long)i)])
                )
            );
    }

    internal static (float[] Logits, long[] Greedy) RunDecoder(string folder, KitInputs inputs, ComputeTarget target)
    {
        using var model = LlamaForCausalLM.FromPretrained(folder, target);
        var prompt = inputs.LlamaPrompt.Select(i => (long)i).ToArray();
        float[] logits;
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
        {
            logits = Floats(
                model.forward(
                    tensor(prompt, [1, prompt.Length], device: target.Device),
                    arange(prompt.Length, dtype: ScalarType.Int64, device: target.Device).unsqueeze(0)
                )
            );
        }
        var options = GenerationOptions.Greedy(inputs.LlamaNewTokens) with { StopTokenIds = [] };
        var greedy = new LlamaGenerator(model).Generate(prompt, options).Sequences[0].Tokens.ToArray();
        return (logits, greedy);
    }

    private static float[] Floats(Tensor t) => t.to(ScalarType.Float32).cpu().reshape(-1).data<float>().ToArray();

    private static double MaxDiff(float[] actual, float[] expected) =>
        actual.Length != expected.Length
            ? double.PositiveInfinity
            : actual.Zip(expected, (a, e) => Math.Abs((double)a - e)).DefaultIfEmpty(0).Max();

    private static JsonObject Bf16Check(string name, List<float[]> actual, List<float[]> reference)
    {
        var scale = reference.SelectMany(r => r).Select(v => Math.Abs((double)v)).DefaultIfEmpty(1).Max();
        var diff = actual.Select((a, i) => MaxDiff(a, reference[i])).DefaultIfEmpty(0).Max();
        return Check(
            name,
            diff <= Bf16RelativeTolerance * scale,
            $"max |Δ| {diff:0.###e+0} = {diff / scale:P2} of the largest logit (tolerance {Bf16RelativeTolerance:P0})"
        );
    }

    private static string Agreement(long[] actual, long[] expected)
    {
        var same = actual.Zip(expected).TakeWhile(p => p.First == p.Second).Count();
        return $"{same}/{expected.Length} leading";
    }

    private static JsonObject Check(string name, bool passed, string detail) =>
        new()
        {
            ["name"] = name,
            ["passed"] = passed,
            ["detail"] = detail,
        };

    private static JsonObject Skipped(string name, string why) =>
        new()
        {
            ["name"] = name,
            ["passed"] = null,
            ["detail"] = $"skipped: {why}",
        };

    private static JsonObject Info(string name, string detail) =>
        new()
        {
            ["name"] = name,
            ["passed"] = null,
            ["detail"] = detail,
        };
}
