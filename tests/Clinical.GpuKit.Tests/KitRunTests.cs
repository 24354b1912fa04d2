using System.Text.Json.Nodes;
using Clinical.GpuKit;
using Clinical.Models.Runtime;

namespace Clinical.GpuKit.Tests;

/// <summary>
/// The GPU kit's runner on CPU: without goldens its parity checks are skipped and bf16 is compared with the C# fp32
/// run; with goldens in the transformers scripts' format it passes on equal outputs and fails on a changed one.
/// </summary>
public sealed class KitRunTests : IDisposable
{
    private static readonly string[] Models = ["roberta", "mroberta", "llama"];
    private readonly string _work = Directory.CreateTempSubdirectory("gpu-kit-").FullName;

    public KitRunTests() => KitInputs.Write(Kit);

    private string Kit => Path.Combine(_work, "checkpoints");

    private string Goldens => Directory.CreateDirectory(Path.Combine(_work, "goldens")).FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private JsonArray Checks() =>
        KitRun.Run(new KitOptions(Kit, Goldens, Path.Combine(_work, "results.json"), "cpu", "none"))[
            "checks"
        ]!.AsArray();

    private static bool? Passed(JsonArray checks, string name) =>
        checks.Single(c => c!["name"]!.GetValue<string>() == name)!["passed"]?.GetValue<bool>();

    [Fact]
    public void Given_no_goldens_When_the_kit_runs_on_cpu_Then_parity_is_skipped_and_bf16_agrees_with_fp32()
    {
        var checks = Checks();

        Assert.Null(Passed(checks, "roberta fp32 hidden states and logits"));
        Assert.Null(Passed(checks, "llama greedy tokens"));
        Assert.Equal([true, true, true], Models.Select(n => Passed(checks, $"{n} bf16 logits vs C# fp32")));
    }

    [Fact]
    public void Given_goldens_equal_to_the_port_When_run_Then_they_pass_and_a_changed_logit_fails_its_check()
    {
        var inputs = KitInputs.Read(Kit);
        foreach (var name in KitInputs.EncoderNames)
        {
            var (hidden, logits) = KitRun.RunEncoder(Path.Combine(Kit, name), inputs.Encoders[name], ComputeTarget.Cpu);
            var cases = new JsonArray([
                .. hidden.Select(
                    (h, i) =>
                        (JsonNode)
                            new JsonObject
                            {
                                ["last_hidden_state"] = Floats(h),
                                ["logits"] = Floats(name == "mroberta" && i == 1 ? Shift(logits[i]) : logits[i]),
                            }
                ),
            ]);
            Write(name, new JsonObject { ["tokenizer_ids"] = Ints.Rows(inputs.Encoders[name]), ["cases"] = cases });
        }
        var (llamaLogits, greedy) = KitRun.RunDecoder(Path.Combine(Kit, "llama"), inputs, ComputeTarget.Cpu);
        Write(
            "llama",
            new JsonObject
            {
                ["tokenizer_ids"] = Ints.Row(inputs.LlamaPrompt),
                ["logits"] = Floats(llamaLogits),
                ["greedy"] = Ints.Row(greedy.Select(t => (int)t)),
            }
        );

        var checks = Checks();

        Assert.True(Passed(checks, "roberta token ids"));
        Assert.True(Passed(checks, "roberta fp32 hidden states and logits"));
        Assert.False(Passed(checks, "mroberta fp32 hidden states and logits"));
        Assert.True(Passed(checks, "llama fp32 logits"));
        Assert.True(Passed(checks, "llama greedy tokens"));
        Assert.True(Passed(checks, "llama bf16 logits vs transformers fp32"));
    }

    private static float[] Shift(float[] logits) => [logits[0] + 1e-3f, .. logits[1..]];

    private static JsonArray Floats(float[] values) => [.. values.Select(v => (JsonNode?)(double)v)];

    private void Write(string name, JsonObject golden) =>
        File.WriteAllText(Path.Combine(Goldens, name + ".json"), golden.ToJsonString());
}
