using System.Text.Json;
using Clinical.Models.Text;
using Clinical.Tests;

namespace Clinical.Models.Tests.Text;

/// <summary>
/// Ids and character spans equal to Hugging Face's tokenizers (and, for SentencePiece, to sentencepiece itself) on
/// the committed text set plus repeated-character probes: fixtures/tokenizers/goldens, made by
/// fixtures/scripts/tokenizer_goldens.mjs. Every id and every offset of every text is compared.
/// </summary>
public sealed class TokenizerGoldensTests
{
    public static TheoryData<string, string> Folders =>
        new()
        {
            { "gpt2", "gpt2" },
            { "classifier", "classifier" },
            { "llama2", "llama2" },
            { "llama2-spm", "llama2" },
            { "roberta-spm", "roberta-spm" },
        };

    [ReferenceTokenizersTheory]
    [MemberData(nameof(Folders))]
    public void Given_reference_folder_When_every_golden_text_is_encoded_Then_ids_and_offsets_equal_hugging_face(
        string folder,
        string golden
    )
    {
        var tokenizer = NoteTokenizer.Load(ReferenceTokenizerFolders.Folder(folder));
        var cases = Cases(golden);
        var mismatches = new List<string>();

        foreach (var (text, ids, offsets) in cases)
        {
            var encoded = tokenizer.EncodeForModel(text);
            if (!encoded.Ids.SequenceEqual(ids))
                mismatches.Add($"{JsonSerializer.Serialize(text)} ids {Show(encoded.Ids)} expected {Show(ids)}");
            else if (!encoded.Offsets.SequenceEqual(offsets))
                mismatches.Add(
                    $"{JsonSerializer.Serialize(text)} offsets {Show(encoded.Offsets)} expected {Show(offsets)}"
                );
        }

        Assert.True(cases.Count > 400, $"only {cases.Count} golden texts");
        Assert.True(
            mismatches.Count == 0,
            $"{mismatches.Count} of {cases.Count} texts differ:\n" + string.Join("\n", mismatches.Take(8))
        );
    }

    [ReferenceTokenizersTheory]
    [InlineData("llama2")]
    [InlineData("llama2-spm")]
    [InlineData("gpt2")]
    public void Given_reference_folder_When_golden_texts_are_decoded_Then_the_text_comes_back(string folder)
    {
        var tokenizer = NoteTokenizer.Load(ReferenceTokenizerFolders.Folder(folder));

        // A "▁" written in the text encodes as a space does (in sentencepiece and Hugging Face alike).
        foreach (var (text, _, _) in Cases(folder == "gpt2" ? "gpt2" : "llama2").Where(c => !c.Text.Contains('▁')))
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text).Ids, skipSpecialTokens: false));
    }

    [ReferenceTokenizersTheory]
    [InlineData("Hmmm", new[] { "▁H", "mm", "m" })]
    [InlineData("-----", new[] { "▁-----" })]
    public void Given_repeated_characters_When_encoded_by_sentencepiece_Then_the_leftmost_pair_merges_first(
        string text,
        string[] pieces
    )
    {
        var folder = ReferenceTokenizerFolders.Folder("llama2-spm");
        var vocabulary = SentencePieceModelFile.ReadPieces(Path.Combine(folder, "tokenizer.model"));

        var encoded = NoteTokenizer.Load(folder).Encode(text);

        Assert.Equal(pieces, encoded.Ids.Select(id => vocabulary[id].Piece));
    }

    private static List<(string Text, int[] Ids, TextSpan[] Offsets)> Cases(string golden)
    {
        using var json = JsonDocument.Parse(FixtureFiles.Read("tokenizers", "goldens", golden + ".json"));
        return json
            .RootElement.GetProperty("cases")
            .EnumerateArray()
            .Select(c =>
                (
                    c.GetProperty("text").GetString()!,
                    c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
                    c.GetProperty("offsets")
                        .EnumerateArray()
                        .Select(o => new TextSpan(o[0].GetInt32(), o[1].GetInt32()))
                        .ToArray()
                )
            )
            .ToList();
    }

    private static string Show(IEnumerable<int> ids) => string.Join(",", ids);

    private static string Show(IEnumerable<TextSpan> spans) =>
        string.Join(",", spans.Select(s => $"({s.Start},{s.End})"));
}
