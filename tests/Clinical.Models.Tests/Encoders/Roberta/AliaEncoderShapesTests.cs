using Clinical.DevTools.Checkpoints;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Evaluation;
using Clinical.Models.Runtime;
using Clinical.Models.Tests.Training;
using Clinical.Models.Text;
using Clinical.Models.Training;

namespace Clinical.Models.Tests.Encoders.Roberta;

/// <summary>
/// The ALIA family's encoder shapes end to end: a tiny mRoBERTa-shaped folder (SentencePiece vocabulary,
/// XLM-RoBERTa layout, pad id 3) and a tiny RoBERTa-ca-shaped one (byte-level BPE learnt on Catalan) are loaded,
/// tokenize, classify, are fine-tuned from, saved, and the fine-tuned folder is reloaded.
/// </summary>
[Collection(SerialTorchRandom.Name)]
public sealed class AliaEncoderShapesTests
{
    private const string CatalanNote =
        "Home de 78 anys. Refereix dispnea d'esforç i edemes mal·leolars. Nega ortopnea.";

    public static TheoryData<string> Shapes => ["mroberta", "roberta-ca"];

    private static RobertaConfig Write(string shape, string directory) =>
        shape == "mroberta"
            ? TinyAliaEncoders.WriteMRoberta(
                directory,
                TinyTraining.Notes(24).Select(n => n.Text).Concat(TinyAliaEncoders.CatalanTexts)
            )
            : TinyAliaEncoders.WriteRobertaCa(directory);

    /// <summary>Catalan notes: phrases 0-2 and 7 of TinyAliaEncoders.CatalanTexts speak of heart failure.</summary>
    private static List<LabelledNote> CatalanNotes(int count, int offset = 0)
    {
        int[] positive = [0, 1, 2, 7];
        int[] negative = [3, 4, 5, 6];
        return Enumerable
            .Range(offset, count)
            .Select(i =>
                i % 2 == 0
                    ? new LabelledNote($"c{i}", $"{TinyAliaEncoders.CatalanTexts[positive[i / 2 % 4]]} Visita {i}.", 1)
                    : new LabelledNote($"c{i}", $"{TinyAliaEncoders.CatalanTexts[negative[i / 2 % 4]]} Visita {i}.", 0)
            )
            .ToList();
    }

    private static TrainingData Data(string shape) =>
        shape == "mroberta"
            ? TinyTraining.Data()
            : new TrainingData(CatalanNotes(24), CatalanNotes(8, offset: 100), "tiny Catalan notes", Synthetic: true);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Given_alia_encoder_shape_When_loaded_Then_tokens_are_framed_with_the_files_ids_and_decode_back(
        string shape
    )
    {
        using var temp = new TempFolder();
        var config = Write(shape, temp.Path);

        var tokenizer = NoteTokenizer.Load(temp.Path);
        var encoded = tokenizer.EncodeForModel(CatalanNote);

        Assert.Equal(shape == "mroberta" ? "SentencePiece BPE" : "byte-level BPE", tokenizer.Kind);
        Assert.Equal(config.VocabSize, tokenizer.VocabularySize);
        Assert.Equal(
            shape == "mroberta" ? (1, 2, 3) : (0, 2, 1),
            (config.BosTokenId, config.EosTokenId, config.PadTokenId)
        );
        Assert.Equal(config.BosTokenId, encoded.Ids[0]);
        Assert.Equal(config.EosTokenId, encoded.Ids[^1]);
        Assert.Equal(config.PadTokenId, tokenizer.Special.Pad);
        Assert.Equal(CatalanNote, tokenizer.Decode(encoded.Ids));
        Assert.True(
            encoded.Count < CatalanNote.Length * 2 / 3,
            $"{encoded.Count} tokens: the vocabulary barely merged"
        );
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Given_alia_encoder_shape_When_a_short_note_is_batched_with_a_long_one_Then_its_score_is_unchanged(
        string shape
    )
    {
        using var temp = new TempFolder();
        Write(shape, temp.Path);
        using var classifier = NoteScoring.Load(temp.Path, ComputeTarget.Cpu);
        var longNote = string.Join(" ", TinyAliaEncoders.CatalanTexts);

        var alone = Assert.Single(classifier.Classify([CatalanNote]));
        var batched = classifier.Classify([CatalanNote, longNote]);

        Assert.InRange(alone.Probability, 1e-6, 1 - 1e-6);
        // Padding with the folder's pad id (3 for mRoBERTa) and positions counted from it leave the score alone.
        Assert.Equal(alone.Probability, batched[0].Probability, 1e-5);
        Assert.NotEqual(alone.Probability, batched[1].Probability, 1e-4);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Given_alia_encoder_shape_When_fine_tuned_saved_and_reloaded_Then_it_keeps_its_shape_and_separates(
        string shape
    )
    {
        using var temp = new TempFolder();
        var baseConfig = Write(shape, temp.Sub("base"));

        var card = FineTuning.Run(
            Data(shape),
            ModelStart.Pretrained(temp.Sub("base")),
            TinyTraining.Options with
            {
                Epochs = 8,
            },
            temp.Sub("tuned"),
            ComputeTarget.Cpu,
            resume: false,
            new TrainingLog(TextWriter.Null, isTerminal: false, everySteps: 1)
        );

        var tuned = RobertaConfig.Load(Path.Combine(temp.Sub("tuned"), "config.json"));
        Assert.Equal(
            (baseConfig.ModelType, baseConfig.VocabSize, baseConfig.PadTokenId),
            (tuned.ModelType, tuned.VocabSize, tuned.PadTokenId)
        );
        Assert.True(
            File.Exists(Path.Combine(temp.Sub("tuned"), shape == "mroberta" ? "tokenizer.model" : "vocab.json"))
        );
        Assert.Equal(
            NoteTokenizer.Load(temp.Sub("base")).EncodeForModel(CatalanNote).Ids,
            NoteTokenizer.Load(temp.Sub("tuned")).EncodeForModel(CatalanNote).Ids
        );
        Assert.True(card.Calibration.DevNllAfter <= card.Calibration.DevNllBefore + 1e-9);

        using var reloaded = NoteScoring.Load(temp.Sub("tuned"), ComputeTarget.Cpu);
        var heldOut = (shape == "mroberta" ? TinyTraining.Notes(8, offset: 200) : CatalanNotes(8, offset: 200))
            .Select(n => n.Text)
            .ToList();
        var scores = reloaded.Classify(heldOut);
        Assert.True(
            scores.Where((_, i) => i % 2 == 0).Min(s => s.Probability)
                > scores.Where((_, i) => i % 2 == 1).Max(s => s.Probability),
            string.Join(
                ", ",
                scores.Select(s => s.Probability.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture))
            )
        );
    }
}
