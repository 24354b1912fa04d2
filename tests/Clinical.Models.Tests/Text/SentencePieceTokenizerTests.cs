using Clinical.DevTools.Text;
using Clinical.Models.Text;

namespace Clinical.Models.Tests.Text;

public sealed class SentencePieceTokenizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private NoteTokenizer SalamandraLike()
    {
        SentencePieceModelFile.Write(
            Path.Combine(_dir, "tokenizer.model"),
            SentencePieceTrainer.TrainBpe(ClinicalTexts.Corpus, merges: 120)
        );
        return NoteTokenizer.Load(_dir);
    }

    [Fact]
    public void Given_salamandra_layout_When_loaded_Then_special_and_chat_ids_are_read_from_the_model()
    {
        var tokenizer = SalamandraLike();

        Assert.Equal(
            (0, 1, 2, 3),
            (tokenizer.Special.Unk, tokenizer.Special.Bos, tokenizer.Special.Eos, tokenizer.Special.Pad)
        );
        Assert.Equal(4, tokenizer.Special.All["<|im_start|>"]);
        Assert.Equal(5, tokenizer.Special.All["<|im_end|>"]);
    }

    [Fact]
    public void Given_chat_markup_When_encoded_Then_control_tokens_are_single_ids_with_their_spans()
    {
        var tokenizer = SalamandraLike();
        const string text = "<|im_start|>user\nTiene disnea?<|im_end|>\n";

        var encoded = tokenizer.Encode(text);

        Assert.Equal(4, encoded.Ids[0]);
        Assert.Equal("<|im_start|>", encoded.Offsets[0].Of(text));
        var end = encoded.Ids.ToList().IndexOf(5);
        Assert.True(end > 0, $"ids: {string.Join(",", encoded.Ids)}");
        Assert.Equal("<|im_end|>", encoded.Offsets[end].Of(text));
    }

    [Theory]
    [InlineData(ClinicalTexts.Tricky)]
    [InlineData("disnea  de\tesfuerzo\n\nFEVI 35% €")]
    public void Given_note_text_When_encoded_and_decoded_Then_it_round_trips_through_byte_fallback(string text)
    {
        var tokenizer = SalamandraLike();

        var encoded = tokenizer.Encode(text);

        Assert.Contains(encoded.Ids, id => id is >= 6 and < 6 + 256);
        Assert.Equal(text, tokenizer.Decode(encoded.Ids));
    }

    [Theory]
    [InlineData(ClinicalTexts.Tricky)]
    [InlineData("disnea  de\tesfuerzo\n\nFEVI 35% €")]
    public void Given_note_text_When_encoded_Then_offsets_point_at_the_characters_each_token_covers(string text)
    {
        var tokenizer = SalamandraLike();

        var encoded = tokenizer.Encode(text);

        for (var i = 0; i < encoded.Count; i++)
        {
            var span = encoded.Offsets[i];
            Assert.InRange(span.Start, 0, text.Length);
            Assert.InRange(span.End, span.Start, text.Length);
            if (i > 0)
                Assert.True(span.Start >= encoded.Offsets[i - 1].Start, $"token {i} goes backwards");
        }
        var disnea = text.IndexOf("disnea", StringComparison.Ordinal);
        var covering = Enumerable
            .Range(0, encoded.Count)
            .Where(i => encoded.Offsets[i].End > disnea && encoded.Offsets[i].Start < disnea + 6)
            .ToList();
        var decoded = tokenizer.Decode(covering.Select(i => encoded.Ids[i])).Trim();
        Assert.Equal("disnea", decoded);
        Assert.Equal(
            "disnea",
            TextSpan.Cover(encoded.Offsets[covering[0]], encoded.Offsets[covering[^1]]).Of(text).Trim()
        );
    }

    [Fact]
    public void Given_salamandra_tokenizer_config_When_encoded_for_the_model_Then_only_bos_is_added()
    {
        SentencePieceModelFile.Write(
            Path.Combine(_dir, "tokenizer.model"),
            SentencePieceTrainer.TrainBpe(ClinicalTexts.Corpus, merges: 120)
        );
        File.WriteAllText(
            Path.Combine(_dir, "tokenizer_config.json"),
            """
            {"add_bos_token": true, "add_eos_token": false, "bos_token": "<s>", "eos_token": "</s>",
             "unk_token": "<unk>", "pad_token": "<pad>",
             "added_tokens_decoder": {"4": {"content": "<|im_start|>", "special": true},
              "5": {"content": "<|im_end|>", "special": true}}}
            """
        );
        var tokenizer = NoteTokenizer.Load(_dir);

        var encoded = tokenizer.EncodeForModel("disnea");

        Assert.Equal(1, encoded.Ids[0]);
        Assert.NotEqual(2, encoded.Ids[^1]);
        Assert.Equal(1, tokenizer.SpecialTokenCount);
        Assert.Equal("disnea", tokenizer.Decode(encoded.Ids));
        Assert.Equal("<s>disnea", tokenizer.Decode(encoded.Ids, skipSpecialTokens: false));
    }

    [Fact]
    public void Given_numbers_seen_in_training_When_encoded_Then_every_digit_is_its_own_token()
    {
        var tokenizer = SalamandraLike();
        const string text = "NT-proBNP 1250 pg/mL";

        var encoded = tokenizer.Encode(text);

        var digits = Enumerable
            .Range(0, encoded.Count)
            .Where(i => encoded.Offsets[i].Of(text).Any(char.IsAsciiDigit))
            .ToList();
        Assert.Equal(["1", "2", "5", "0"], digits.Select(i => encoded.Offsets[i].Of(text).Trim()));
    }

    [Fact]
    public void Given_user_defined_piece_When_encoded_Then_it_is_one_token_that_decoding_keeps()
    {
        var trained = SentencePieceTrainer.TrainBpe(ClinicalTexts.Corpus, merges: 120);
        var model = trained with
        {
            Pieces = [.. trained.Pieces, new SentencePieceEntry("\r", 0, SentencePieceType.UserDefined)],
        };
        SentencePieceModelFile.Write(Path.Combine(_dir, "tokenizer.model"), model);
        var tokenizer = NoteTokenizer.Load(_dir);
        const string text = "disnea\r\nortopnea";

        var encoded = tokenizer.Encode(text);

        var carriageReturn = model.Pieces.Count - 1;
        var index = encoded.Ids.ToList().IndexOf(carriageReturn);
        Assert.True(index >= 0, $"ids: {string.Join(",", encoded.Ids)}");
        Assert.Equal("\r", encoded.Offsets[index].Of(text));
        Assert.False(tokenizer.Special.IsSpecial(carriageReturn));
        Assert.Equal(text, tokenizer.Decode(encoded.Ids));
    }

    [Fact]
    public void Given_written_model_When_pieces_are_read_back_Then_scores_and_types_survive()
    {
        var model = SentencePieceTrainer.TrainBpe(ClinicalTexts.Corpus, merges: 50);
        var path = Path.Combine(_dir, "tokenizer.model");
        SentencePieceModelFile.Write(path, model);

        var pieces = SentencePieceModelFile.ReadPieces(path);

        Assert.Equal(model.Pieces, pieces);
    }
}
