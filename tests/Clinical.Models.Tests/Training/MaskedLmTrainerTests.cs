using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Evaluation;
using Clinical.Models.Runtime;
using Clinical.Models.Training;
using TorchSharp;

namespace Clinical.Models.Tests.Training;

[Collection(SerialTorchRandom.Name)]
public sealed class MaskedLmTrainerTests
{
    private static TrainingLog Quiet => new(TextWriter.Null, isTerminal: false, everySteps: 1);

    private static IReadOnlyList<string> Texts => TinyTraining.Notes(48).Select(n => n.Text).ToList();

    private static PretrainOptions Options =>
        new()
        {
            Epochs = 4,
            BatchSize = 4,
            GradientAccumulation = 2,
            MaxLength = 32,
            Seed = 11,
            VocabularySize = 300,
            LearningRate = 3e-3,
            HeldOutShare = 0.2,
            CheckpointEverySteps = 2,
            LogEverySteps = 1,
        };

    private static Dictionary<string, float[]> Weights(string directory)
    {
        var folder = CheckpointFolder.Open(directory);
        return folder.TensorNames.ToDictionary(
            n => n,
            n =>
            {
                using var t = folder.Read(n);
                return t.to(torch.ScalarType.Float32).data<float>().ToArray();
            }
        );
    }

    [Fact]
    public void Given_a_tiny_corpus_When_pretraining_from_scratch_Then_the_masked_token_loss_falls()
    {
        using var temp = new TempFolder();
        var outcome = new MaskedLmTrainer(ComputeTarget.Cpu, Quiet).Train(
            Texts,
            "tiny notes",
            ModelStart.Scratch(TinyTraining.ConfigFile(temp.Path)),
            Options,
            temp.Sub("mlm"),
            resume: false
        );

        Assert.Equal(4, outcome.History.Count);
        Assert.True(
            outcome.History[^1].TrainLoss < outcome.History[0].TrainLoss - 0.5,
            string.Join(", ", outcome.History)
        );
        Assert.True(
            outcome.History[^1].HeldOutLoss < outcome.History[0].HeldOutLoss,
            string.Join(", ", outcome.History)
        );
        Assert.True(outcome.HeldOutSequences > 0);
        var config = RobertaConfig.Load(Path.Combine(temp.Sub("mlm"), "config.json"));
        Assert.Equal(["RobertaForMaskedLM"], config.Architectures);
        Assert.Contains("lm_head.bias", CheckpointFolder.Open(temp.Sub("mlm")).TensorNames);
        Assert.True(File.Exists(Path.Combine(temp.Sub("mlm"), MaskedLmTrainer.CardFileName)));
        Assert.False(Directory.Exists(Path.Combine(temp.Sub("mlm"), ResumeState.Folder)));
    }

    [Fact]
    public void Given_a_pretraining_run_interrupted_mid_epoch_When_resumed_Then_the_weights_equal_an_unbroken_run()
    {
        using var temp = new TempFolder();
        var start = ModelStart.Scratch(TinyTraining.ConfigFile(temp.Path));
        var trainer = new MaskedLmTrainer(ComputeTarget.Cpu, Quiet);
        var options = Options with { Epochs = 2 };
        trainer.Train(Texts, "tiny", start, options, temp.Sub("whole"), resume: false);

        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            trainer.Train(
                Texts,
                "tiny",
                start,
                options,
                temp.Sub("split"),
                resume: false,
                onStep: p =>
                {
                    if (p.Step == 3)
                        cancel.Cancel();
                },
                cancellationToken: cancel.Token
            )
        );
        Assert.Equal(3, ResumeState.Load(temp.Sub("split")).Step);
        trainer.Train(Texts, "tiny", start, options, temp.Sub("split"), resume: true);

        var whole = Weights(temp.Sub("whole"));
        var split = Weights(temp.Sub("split"));
        Assert.Equal(whole.Keys.Order(), split.Keys.Order());
        foreach (var (name, values) in whole)
            Assert.True(values.SequenceEqual(split[name]), $"{name} differs after resume");
    }

    [Fact]
    public void Given_a_pretrained_folder_When_fine_tuning_on_it_Then_its_tokenizer_is_reused_and_the_classifier_loads()
    {
        using var temp = new TempFolder();
        new MaskedLmTrainer(ComputeTarget.Cpu, Quiet).Train(
            Texts,
            "tiny",
            ModelStart.Scratch(TinyTraining.ConfigFile(temp.Path)),
            Options with
            {
                Epochs = 1,
            },
            temp.Sub("mlm"),
            resume: false
        );

        var card = FineTuning.Run(
            TinyTraining.Data(),
            ModelStart.Pretrained(temp.Sub("mlm")),
            TinyTraining.Options with
            {
                MaxLength = 32,
            },
            temp.Sub("classifier"),
            ComputeTarget.Cpu,
            resume: false,
            Quiet
        );

        Assert.Contains(temp.Sub("mlm"), card.BaseModel, StringComparison.Ordinal);
        Assert.Equal(
            File.ReadAllText(Path.Combine(temp.Sub("mlm"), "vocab.json")),
            File.ReadAllText(Path.Combine(temp.Sub("classifier"), "vocab.json"))
        );
        using var classifier = NoteScoring.Load(temp.Sub("classifier"), ComputeTarget.Cpu);
        Assert.Equal(2, classifier.Classify(["Disnea y edemas.", "Catarro."]).Count);
    }

    [Fact]
    public void Given_many_tokens_When_masking_Then_15_percent_are_chosen_and_80_10_10_replaced_and_specials_never()
    {
        var n = 200_000;
        var ids = Enumerable.Range(0, n).Select(i => 10 + i % 90).ToArray();
        var special = Enumerable.Range(0, n).Select(i => i % 50 == 0).ToArray();
        var sequence = new PackedSequence(ids, special, Enumerable.Repeat(true, n).ToArray());

        var masked = MaskedTokens.Mask(sequence, 0.15, false, maskId: 4, vocabularySize: 100, new Random(1));

        var chosen = Enumerable.Range(0, n).Where(t => masked.Labels[t] != MaskedTokens.Ignore).ToList();
        Assert.All(chosen, t => Assert.False(special[t]));
        Assert.All(chosen, t => Assert.Equal(ids[t], masked.Labels[t]));
        Assert.InRange(chosen.Count / (double)special.Count(s => !s), 0.145, 0.155);
        var toMask = chosen.Count(t => masked.Inputs[t] == 4) / (double)chosen.Count;
        var kept = chosen.Count(t => masked.Inputs[t] == ids[t]) / (double)chosen.Count;
        Assert.InRange(toMask, 0.79, 0.81);
        Assert.InRange(kept, 0.095, 0.11); // 10 % kept plus the random draws that hit the same id
        Assert.InRange(1 - toMask - kept, 0.09, 0.105);
        Assert.All(
            Enumerable.Range(0, n).Where(t => masked.Labels[t] == MaskedTokens.Ignore),
            t => Assert.Equal(ids[t], masked.Inputs[t])
        );
    }

    [Fact]
    public void Given_whole_word_masking_When_masking_Then_every_token_of_a_chosen_word_is_predicted()
    {
        var n = 30_000;
        var wordStart = Enumerable.Range(0, n).Select(i => i % 3 == 0).ToArray();
        var sequence = new PackedSequence(Enumerable.Repeat(20, n).ToArray(), new bool[n], wordStart);

        var masked = MaskedTokens.Mask(sequence, 0.15, true, maskId: 4, vocabularySize: 100, new Random(2));

        for (var w = 0; w < n; w += 3)
        {
            var labels = masked.Labels.Skip(w).Take(3).Select(l => l != MaskedTokens.Ignore).Distinct().ToList();
            Assert.Single(labels);
        }
        var words = Enumerable.Range(0, n / 3).Count(w => masked.Labels[w * 3] != MaskedTokens.Ignore);
        Assert.InRange(words / (n / 3.0), 0.13, 0.17);
    }

    [Fact]
    public void Given_the_same_seed_epoch_and_sequence_When_masking_Then_the_mask_repeats_and_another_epoch_differs()
    {
        var sequence = new PackedSequence(
            Enumerable.Range(5, 300).ToArray(),
            new bool[300],
            Enumerable.Repeat(true, 300).ToArray()
        );
        MaskedSequence Draw(int epoch) =>
            MaskedTokens.Mask(sequence, 0.15, false, 4, 400, MaskedTokens.For(7, epoch, 3));

        Assert.Equal(Draw(0).Labels, Draw(0).Labels);
        Assert.NotEqual(Draw(0).Labels, Draw(1).Labels);
    }
}
