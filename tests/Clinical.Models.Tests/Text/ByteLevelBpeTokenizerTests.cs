using Clinical.Models.Text;

namespace Clinical.Models.Tests.Text;

public sealed class ByteLevelBpeTokenizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bpe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private NoteTokenizer Trained()
    {
        ByteLevelBpeTrainer.Save(ByteLevelBpeTrainer.Train(ClinicalTexts.Corpus, vocabularySize: 400), _dir);
        return NoteTokenizer.Load(_dir);
    }

    [Theory]
    [InlineData(ClinicalTexts.Tricky)]
    [InlineData("  leading spaces and trailing   ")]
    [InlineData("tabs\t\tand\r\nwindows newlines\n")]
    [InlineData("digits 0123456789 and 3.5 mg/dL")]
    [InlineData("acentos: corazón, cardíaco, niño, pingüino, ÁÉÍÓÚ")]
    public void Given_note_text_When_encoded_and_decoded_Then_every_character_survives(string text)
    {
        var tokenizer = Trained();

        var encoded = tokenizer.Encode(text);

        Assert.Equal(text, tokenizer.Decode(encoded.Ids));
    }

    [Theory]
    [InlineData(ClinicalTexts.Tricky)]
    [InlineData("disnea  de\tesfuerzo\n\nFEVI 35%")]
    public void Given_note_text_When_encoded_Then_trimmed_offsets_cover_each_token_without_its_spaces(string text)
    {
        var tokenizer = Trained();

        var encoded = tokenizer.Encode(text);

        // RoBERTa's trim_offsets (Hugging Face): a token's span leaves out the spaces at its ends, so consecutive
        // spans tile the text except for those spaces.
        var i = 0;
        var previousEnd = 0;
        while (i < encoded.Count)
        {
            var span = encoded.Offsets[i];
            var j = i;
            while (j + 1 < encoded.Count && encoded.Offsets[j + 1] == span)
                j++;
            var decoded = tokenizer.Decode(encoded.Ids.Skip(i).Take(j - i + 1));
            Assert.Equal(decoded.Trim(' '), span.Of(text));
            Assert.Equal(text[previousEnd..span.Start], new string(' ', span.Start - previousEnd));
            previousEnd = span.End;
            i = j + 1;
        }
        Assert.Equal(text[previousEnd..], new string(' ', text.Length - previousEnd));
    }

    [Fact]
    public void Given_roberta_files_When_loaded_Then_special_ids_come_from_the_files()
    {
        var tokenizer = Trained();

        Assert.Equal(
            (0, 2, 1, 3),
            (tokenizer.Special.Bos, tokenizer.Special.Eos, tokenizer.Special.Pad, tokenizer.Special.Unk)
        );
        using var vocab = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "vocab.json")));
        Assert.Equal(vocab.RootElement.GetProperty("<mask>").GetInt32(), tokenizer.Special.Mask);
        Assert.Equal(tokenizer.VocabularySize - 1, tokenizer.Special.Mask);
    }

    [Fact]
    public void Given_mask_token_in_text_When_encoded_Then_it_is_one_special_token()
    {
        var tokenizer = Trained();
        const string text = "disnea <mask> esfuerzo";

        var encoded = tokenizer.Encode(text);

        var index = encoded.Ids.ToList().IndexOf(tokenizer.Special.Mask!.Value);
        Assert.True(index >= 0, $"ids: {string.Join(",", encoded.Ids)}");
        Assert.Equal("<mask>", encoded.Offsets[index].Of(text));
    }

    [Fact]
    public void Given_text_When_encoded_for_the_model_Then_it_is_wrapped_in_bos_and_eos()
    {
        var tokenizer = Trained();

        var encoded = tokenizer.EncodeForModel("disnea");

        Assert.Equal(0, encoded.Ids[0]);
        Assert.Equal(2, encoded.Ids[^1]);
        Assert.Equal("disnea", tokenizer.Decode(encoded.Ids));
    }

    [Fact]
    public void Given_words_seen_often_When_trained_Then_they_become_single_tokens()
    {
        var tokenizer = Trained();

        var encoded = tokenizer.Encode(" disnea");

        Assert.Single(encoded.Ids);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Given_only_tokenizer_json_When_loaded_Then_ids_match_vocab_and_merges(bool pairMerges)
    {
        var reference = Trained();
        var json = TokenizerJsonFixture.FromVocabAndMerges(_dir, pairMerges);
        var onlyJson = Directory.CreateDirectory(Path.Combine(_dir, "json")).FullName;
        File.WriteAllText(Path.Combine(onlyJson, "tokenizer.json"), json);
        File.Copy(Path.Combine(_dir, "tokenizer_config.json"), Path.Combine(onlyJson, "tokenizer_config.json"));

        var tokenizer = NoteTokenizer.Load(onlyJson);

        Assert.Equal(reference.Encode(ClinicalTexts.Tricky).Ids, tokenizer.Encode(ClinicalTexts.Tricky).Ids);
        Assert.Equal(reference.Special, tokenizer.Special with { All = reference.Special.All });
    }
}
