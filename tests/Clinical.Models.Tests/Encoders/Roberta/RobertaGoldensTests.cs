using System.Text.Json;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Tests.Text;
using Clinical.Models.Text;
using Clinical.Tests;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Encoders.Roberta;

/// <summary>
/// Parity with Hugging Face transformers on a tiny seeded model made by fixtures/scripts/roberta_goldens.py.
/// Until that script has been run where transformers is installed, these tests report themselves skipped.
/// </summary>
public sealed class RobertaGoldensTests
{
    private static readonly string GoldenDirectory = FixtureFiles.PathOf("goldens", "roberta");
    private static readonly string ModelDirectory = Path.Combine(GoldenDirectory, "model");

    private static JsonElement Goldens()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenDirectory, "goldens.json")));
        return json.RootElement.Clone();
    }

    /// <summary>
    /// The golden cases; an empty list would let every loop over them pass without checking anything.
    /// </summary>
    private static List<JsonElement> Cases()
    {
        var cases = Goldens().GetProperty("cases").EnumerateArray().ToList();
        Assert.NotEmpty(cases);
        return cases;
    }

    [GoldensFact]
    public void Given_transformers_goldens_When_texts_are_tokenized_Then_ids_and_trimmed_offsets_match()
    {
        var tokenizer = NoteTokenizer.Load(ModelDirectory);
        foreach (var golden in Cases())
        {
            var text = golden.GetProperty("text").GetString()!;
            var encoded = tokenizer.EncodeForModel(text);

            Assert.Equal(golden.GetProperty("input_ids").EnumerateArray().Select(i => i.GetInt32()), encoded.Ids);
            var offsets = golden
                .GetProperty("offsets")
                .EnumerateArray()
                .Select(o => new TextSpan(o[0].GetInt32(), o[1].GetInt32()))
                .ToList();
            for (var i = 1; i < encoded.Count - 1; i++)
            {
                var ours = Trim(text, encoded.Offsets[i]);
                if (ours.Length > 0)
                    Assert.Equal(offsets[i], ours);
            }
        }
    }

    [GoldensFact]
    public void Given_transformers_goldens_When_each_text_is_encoded_alone_Then_states_and_logits_match_everywhere()
    {
        var tokenizer = NoteTokenizer.Load(ModelDirectory);
        foreach (var target in ComputeTarget.Available())
        {
            var tolerance = target.DType == ScalarType.Float32 ? 1e-4f : 5e-2f;
            using var model = RobertaCheckpoint.Load(ModelDirectory, target);
            foreach (var golden in Cases())
            {
                using var scope = NewDisposeScope();
                using var inference = inference_mode();
                var ids = tokenizer
                    .EncodeForModel(golden.GetProperty("text").GetString()!)
                    .Ids.Select(i => (long)i)
                    .ToArray();
                var input = tensor(ids, device: target.Device).unsqueeze(0);
                var mask = ones_like(input);

                var hidden = model.Encode(input, mask)[0].to(ScalarType.Float32).cpu().data<float>().ToArray();
                var logits = model.call(input, mask)[0].to(ScalarType.Float32).cpu().data<float>().ToArray();

                AssertClose(
                    Floats(golden.GetProperty("last_hidden_state").GetProperty("data")),
                    hidden,
                    tolerance,
                    "last_hidden_state"
                );
                AssertClose(Floats(golden.GetProperty("logits")), logits, tolerance, "logits");
            }
        }
    }

    [GoldensFact]
    public void Given_transformers_goldens_When_the_padded_batch_is_classified_Then_logits_match()
    {
        var batch = Goldens().GetProperty("batch");
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        using var model = RobertaCheckpoint.Load(ModelDirectory, ComputeTarget.Cpu);
        var ids = Matrix(batch.GetProperty("input_ids"));
        var mask = Matrix(batch.GetProperty("attention_mask"));

        var logits = model.call(ids, mask).data<float>().ToArray();

        AssertClose(
            batch.GetProperty("logits").EnumerateArray().SelectMany(Floats).ToArray(),
            logits,
            1e-4f,
            "batch logits"
        );
    }

    [GoldensFact]
    public void Given_transformers_goldens_When_the_long_note_is_classified_Then_its_first_window_is_the_truncation()
    {
        var golden = Goldens().GetProperty("long_note");
        using var classifier = NoteClassifier.Load(ModelDirectory, ComputeTarget.Cpu);
        var text = golden.GetProperty("text").GetString()!;

        var score = classifier.Classify([text])[0];

        var first = classifier.Tokenizer.AddSpecialTokens(
            NoteWindows.Slice(classifier.Tokenizer.Encode(text), score.Windows[0].Window)
        );
        Assert.Equal(
            golden.GetProperty("first_window_input_ids").EnumerateArray().Select(i => i.GetInt32()),
            first.Ids
        );
        Assert.Equal(
            golden.GetProperty("token_count_with_specials").GetInt32(),
            classifier.Tokenizer.EncodeForModel(text).Count
        );
        AssertClose(
            Floats(golden.GetProperty("first_window_logits")),
            score.Windows[0].Logits.ToArray(),
            1e-4f,
            "first window logits"
        );
    }

    private static float[] Floats(JsonElement array) =>
        array.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();

    private static Tensor Matrix(JsonElement rows)
    {
        var data = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetInt64()).ToArray()).ToArray();
        return tensor(data.SelectMany(r => r).ToArray(), [data.Length, data[0].Length]);
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"{what}: max |difference| {worst} > {tolerance}");
    }

    private static TextSpan Trim(string text, TextSpan span)
    {
        var (start, end) = (span.Start, span.End);
        while (start < end && char.IsWhiteSpace(text[start]))
            start++;
        while (end > start && char.IsWhiteSpace(text[end - 1]))
            end--;
        return new TextSpan(start, end);
    }
}

/// <summary>
/// Runs only when fixtures/goldens/roberta/goldens.json exists; otherwise skipped, saying how to make it.
/// </summary>
internal sealed class GoldensFactAttribute : FactAttribute
{
    public GoldensFactAttribute()
    {
        if (!File.Exists(FixtureFiles.PathOf("goldens", "roberta", "goldens.json")))
            Skip =
                "No goldens at fixtures/goldens/roberta: run `python fixtures/scripts/roberta_goldens.py --out "
                + "fixtures/goldens/roberta` where transformers is installed, then commit the folder.";
    }
}
