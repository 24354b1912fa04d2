using Clinical.DevTools.Checkpoints;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Evaluation;
using Clinical.Models.Runtime;
using Clinical.Models.Training;
using TorchSharp;

namespace Clinical.Models.Tests.Training;

[Collection(SerialTorchRandom.Name)]
public sealed class ClassifierTrainerTests
{
    private static TrainingLog Quiet => new(TextWriter.Null, isTerminal: false, everySteps: 1);

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
    public void Given_tiny_notes_When_trained_from_scratch_Then_the_folder_loads_separates_classes_and_is_calibrated()
    {
        using var temp = new TempFolder();
        var card = FineTuning.Run(
            TinyTraining.Data(),
            ModelStart.Scratch(TinyTraining.ConfigFile(temp.Path)),
            TinyTraining.Options,
            temp.Sub("model"),
            ComputeTarget.Cpu,
            resume: false,
            Quiet
        );

        foreach (
            var file in new[]
            {
                "config.json",
                "model.safetensors",
                "vocab.json",
                "merges.txt",
                "tokenizer_config.json",
                "special_tokens_map.json",
                "model-card.json",
            }
        )
            Assert.True(File.Exists(Path.Combine(temp.Sub("model"), file)), file);
        Assert.False(Directory.Exists(Path.Combine(temp.Sub("model"), ResumeState.Folder)));
        var config = RobertaConfig.Load(Path.Combine(temp.Sub("model"), "config.json"));
        Assert.Equal(["RobertaForSequenceClassification"], config.Architectures);
        Assert.Equal("heart_failure", config.Id2Label[1]);
        Assert.Equal(ModelCard.SyntheticWarning, card.Warning);
        Assert.Equal(24, card.Counts.Train);
        Assert.True(card.Calibration.Temperature > 0);
        Assert.True(card.Calibration.DevNllAfter <= card.Calibration.DevNllBefore + 1e-9);

        using var classifier = NoteScoring.Load(temp.Sub("model"), ComputeTarget.Cpu);
        Assert.Equal(card.Calibration.Temperature, classifier.Calibration.Temperature, 12);
        var scores = classifier.Classify(TinyTraining.Notes(8, offset: 200).Select(n => n.Text).ToList());
        Assert.True(
            scores.Where((_, i) => i % 2 == 0).Min(s => s.Probability)
                > scores.Where((_, i) => i % 2 == 1).Max(s => s.Probability)
        );
    }

    [Fact]
    public void Given_a_run_killed_mid_epoch_and_mid_checkpoint_swap_When_resumed_Then_weights_equal_an_unbroken_run()
    {
        using var temp = new TempFolder();
        var config = TinyTraining.ConfigFile(temp.Path);
        var trainer = new ClassifierTrainer(ComputeTarget.Cpu, Quiet);
        trainer.Train(
            TinyTraining.Data(),
            ModelStart.Scratch(config),
            TinyTraining.Options,
            temp.Sub("whole"),
            resume: false
        );

        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            trainer.Train(
                TinyTraining.Data(),
                ModelStart.Scratch(config),
                TinyTraining.Options,
                temp.Sub("split"),
                resume: false,
                onStep: p =>
                {
                    if (p.Step == 5)
                        cancel.Cancel();
                },
                cancellationToken: cancel.Token
            )
        );
        Assert.True(ResumeState.Exists(temp.Sub("split")));
        Assert.Equal(5, ResumeState.Load(temp.Sub("split")).Step);
        var resumeFolder = Path.Combine(temp.Sub("split"), ResumeState.Folder);
        Directory.Move(resumeFolder, resumeFolder + ".old");
        Directory.CreateDirectory(resumeFolder + ".staging");
        File.WriteAllText(Path.Combine(resumeFolder + ".staging", "model.safetensors"), "half-written");
        trainer.Train(
            TinyTraining.Data(),
            ModelStart.Scratch(config),
            TinyTraining.Options with
            {
                LogEverySteps = 3,
                CheckpointEverySteps = 3,
            },
            temp.Sub("split"),
            resume: true
        );

        var whole = Weights(temp.Sub("whole"));
        var split = Weights(temp.Sub("split"));
        Assert.NotEmpty(whole);
        Assert.Equal(whole.Keys.Order(), split.Keys.Order());
        foreach (var (name, values) in whole)
            Assert.True(values.SequenceEqual(split[name]), $"{name} differs after resume");
    }

    [Fact]
    public void Given_a_finished_run_folder_When_resuming_Then_it_is_refused()
    {
        using var temp = new TempFolder();
        var trainer = new ClassifierTrainer(ComputeTarget.Cpu, Quiet);
        Assert.Throws<ArgumentException>(() =>
            trainer.Train(
                TinyTraining.Data(),
                ModelStart.Scratch(TinyTraining.ConfigFile(temp.Path)),
                TinyTraining.Options,
                temp.Sub("m"),
                resume: true
            )
        );
    }

    [Fact]
    public void Given_the_schedule_When_stepping_Then_it_warms_up_linearly_and_decays_to_zero()
    {
        var schedule = new LinearWarmupSchedule(1.0, WarmupSteps: 4, TotalSteps: 12);
        Assert.Equal([0.25, 0.5, 0.75, 1.0, 1.0, 0.875], Enumerable.Range(0, 6).Select(schedule.At));
        Assert.Equal(0.125, schedule.At(11));
    }

    [Fact]
    public void Given_a_seed_When_ordering_epochs_Then_the_order_is_a_repeatable_permutation_that_changes_per_epoch()
    {
        var first = TrainingBatches.EpochOrder(50, 3, 0);
        Assert.Equal(first, TrainingBatches.EpochOrder(50, 3, 0));
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.NotEqual(first, TrainingBatches.EpochOrder(50, 3, 1));
    }

    [Fact]
    public void Given_a_bf16_target_When_training_Then_fp32_master_weights_are_updated_and_saved()
    {
        using var temp = new TempFolder();
        var options = TinyTraining.Options with { Epochs = 1 };
        new ClassifierTrainer(new ComputeTarget(torch.CPU, torch.ScalarType.BFloat16), Quiet).Train(
            TinyTraining.Data(),
            ModelStart.Scratch(TinyTraining.ConfigFile(temp.Path)),
            options,
            temp.Sub("bf16"),
            resume: false
        );
        new ClassifierTrainer(ComputeTarget.Cpu, Quiet).Train(
            TinyTraining.Data(),
            ModelStart.Scratch(TinyTraining.ConfigFile(temp.Path)),
            options,
            temp.Sub("fp32"),
            resume: false
        );

        var folder = CheckpointFolder.Open(temp.Sub("bf16"));
        Assert.All(folder.TensorNames, name => Assert.Equal("F32", folder.Entry(name).DType));
        using var initial = TinyRobertaCheckpoint.Random(
            RobertaConfig.Load(Path.Combine(temp.Sub("bf16"), "config.json")),
            new TinyRobertaOptions { Seed = options.Seed, InitStd = 0.02 }
        );
        var start = initial.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.data<float>().ToArray());
        var bf16 = Weights(temp.Sub("bf16"));
        var fp32 = Weights(temp.Sub("fp32"));
        var bf16Update = start
            .Keys.Order(StringComparer.Ordinal)
            .SelectMany(k => bf16[k].Zip(start[k], (a, b) => (double)a - b))
            .ToArray();
        var fp32Update = start
            .Keys.Order(StringComparer.Ordinal)
            .SelectMany(k => fp32[k].Zip(start[k], (a, b) => (double)a - b))
            .ToArray();
        var cosine =
            bf16Update.Zip(fp32Update, (a, b) => a * b).Sum()
            / Math.Sqrt(bf16Update.Sum(a => a * a) * fp32Update.Sum(b => b * b));

        Assert.All(bf16Update, v => Assert.True(double.IsFinite(v)));
        Assert.True(bf16Update.Max(Math.Abs) > 1e-3, "the fp32 masters must receive the bf16 gradients");
        Assert.True(cosine > 0.2, $"bf16 updates should point the same way as fp32 updates (cosine {cosine:F3})");
    }

    [Fact]
    public void Given_a_pretrained_base_folder_When_fine_tuning_Then_its_tokenizer_is_kept_and_the_result_loads()
    {
        using var temp = new TempFolder();
        var baseConfig = TinyRobertaCheckpoint.Write(
            temp.Sub("base"),
            TinyTraining.Notes(24).Select(n => n.Text),
            new TinyRobertaOptions { MaxPositionEmbeddings = 66, VocabularySize = 300 }
        );

        var card = FineTuning.Run(
            TinyTraining.Data(),
            ModelStart.Pretrained(temp.Sub("base")),
            TinyTraining.Options with
            {
                Epochs = 1,
            },
            temp.Sub("tuned"),
            ComputeTarget.Cpu,
            resume: false,
            Quiet
        );

        Assert.Equal(
            File.ReadAllText(Path.Combine(temp.Sub("base"), "vocab.json")),
            File.ReadAllText(Path.Combine(temp.Sub("tuned"), "vocab.json"))
        );
        Assert.Equal(Path.GetFullPath(temp.Sub("base")), card.BaseModel);
        using var classifier = NoteClassifier.Load(temp.Sub("tuned"), ComputeTarget.Cpu);
        Assert.Equal(baseConfig.HiddenSize, classifier.Config.HiddenSize);
        Assert.Equal(8, classifier.Classify(TinyTraining.Notes(8, offset: 300).Select(n => n.Text).ToList()).Count);
    }
}
