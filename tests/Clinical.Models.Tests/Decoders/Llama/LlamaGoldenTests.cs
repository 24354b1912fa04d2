using System.Text.Json;
using Clinical.Models.Decoders.Llama;
using Clinical.Models.Runtime;
using Clinical.Tests;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Decoders.Llama;

/// <summary>
/// Compares the port with Hugging Face transformers on the folders fixtures/scripts/llama_goldens.py writes under
/// fixtures/goldens/llama/. Until that script has been run (it needs torch + transformers) these tests are reported
/// as skipped with that reason; they never pass without goldens.
/// </summary>
public sealed class LlamaGoldenTests
{
    public static TheoryData<string> Goldens()
    {
        var data = new TheoryData<string>();
        foreach (var folder in LlamaGoldens.Folders())
            data.Add(Path.GetFileName(folder));
        return data;
    }

    [GoldensTheory]
    [MemberData(nameof(Goldens))]
    public void Given_transformers_golden_When_the_same_ids_run_through_the_port_Then_logits_agree_within_stated_atol(
        string name
    )
    {
        var (folder, golden) = LlamaGoldens.Load(name);
        var logits = golden.GetProperty("logits");
        long[] ids = logits.GetProperty("input_ids").EnumerateArray().Select(i => i.GetInt64()).ToArray();
        var expected = logits
            .GetProperty("values")
            .EnumerateArray()
            .SelectMany(row => row.EnumerateArray().Select(v => v.GetSingle()))
            .ToArray();
        var atol = logits.GetProperty("atol").GetDouble();
        using var model = LlamaForCausalLM.FromPretrained(folder, ComputeTarget.Cpu);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var actual = model.forward(
            tensor(ids, [1, ids.Length]),
            arange(ids.Length, dtype: ScalarType.Int64).unsqueeze(0)
        );

        var difference = (actual.reshape(-1) - tensor(expected)).abs().max().item<float>();
        Assert.True(difference <= atol, $"{name}: logits differ from transformers by {difference} (atol {atol})");
    }

    [GoldensTheory]
    [MemberData(nameof(Goldens))]
    public void Given_transformers_golden_When_decoding_greedily_alone_and_left_padded_Then_tokens_equal_generate(
        string name
    )
    {
        var (folder, golden) = LlamaGoldens.Load(name);
        using var model = LlamaForCausalLM.FromPretrained(folder, ComputeTarget.Cpu);
        var generator = new LlamaGenerator(model);
        var greedy = golden.GetProperty("greedy");
        var expected = Ids(greedy.GetProperty("tokens"));
        var options = GenerationOptions.Greedy(expected.Length) with { StopTokenIds = [] };
        var padded = golden.GetProperty("left_padded");
        var prompts = padded.GetProperty("prompts").EnumerateArray().Select(Ids).ToArray();
        var expectedRows = padded.GetProperty("tokens").EnumerateArray().Select(Ids).ToArray();

        var alone = generator.Generate(Ids(greedy.GetProperty("prompt")), options).Sequences[0].Tokens;
        var batched = generator.Generate(prompts, options).Sequences.Select(s => s.Tokens).ToArray();

        Assert.Equal(expected, alone);
        Assert.Equal(expectedRows, batched);
    }

    private static long[] Ids(JsonElement array) => array.EnumerateArray().Select(i => i.GetInt64()).ToArray();
}

/// <summary>Locates fixtures/goldens/llama in the repository the tests were built from.</summary>
internal static class LlamaGoldens
{
    public static string Root => FixtureFiles.PathOf("goldens", "llama");

    public static IEnumerable<string> Folders() =>
        Directory.Exists(Root)
            ? Directory
                .EnumerateDirectories(Root)
                .Where(d => File.Exists(Path.Combine(d, "golden.json")))
                .Order(StringComparer.Ordinal)
            : [];

    public static (string Folder, JsonElement Golden) Load(string name)
    {
        var folder = Path.Combine(Root, name);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "golden.json")));
        return (folder, json.RootElement.Clone());
    }
}

/// <summary>A theory skipped, with the reason, while no golden folders exist.</summary>
internal sealed class GoldensTheoryAttribute : TheoryAttribute
{
    public GoldensTheoryAttribute()
    {
        if (!LlamaGoldens.Folders().Any())
            Skip =
                $"No transformers goldens under {LlamaGoldens.Root}: run fixtures/scripts/llama_goldens.py (torch + "
                + "transformers) and commit its output.";
    }
}
