using System.Text.Json;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Training;

/// <summary>
/// What a run starts from: checked data, the tokenizer (copied from the base or trained on the training texts), the
/// config, the initial model, class weights.
/// </summary>
internal static class TrainingSetup
{
    public static void CheckData(TrainingData data)
    {
        if (data.Train.Count == 0)
            throw new ArgumentException("The training set is empty.");
        if (data.Dev.Count == 0)
            throw new ArgumentException("The dev set is empty.");
        if (data.Train.Select(n => n.Label).Distinct().Count() < 2)
            throw new ArgumentException("The training set needs both positive and negative notes.");
        if (data.Dev.All(n => n.Label == 0))
            throw new ArgumentException(
                "The dev set has no positive note; AUPRC, early stopping and calibration need some."
            );
    }

    public static string RunFingerprint(TrainingData data, ModelStart start, FineTuneOptions options) =>
        LabelledNotes.Fingerprint(
            data.Train.Concat(data.Dev)
                .Append(
                    new LabelledNote(
                        JsonSerializer.Serialize(options with { LogEverySteps = 0, CheckpointEverySteps = 0 })
                            + "|"
                            + start.Describe(),
                        "",
                        0
                    )
                )
        );

    public static NoteTokenizer PrepareTokenizer(
        TrainingData data,
        ModelStart start,
        FineTuneOptions options,
        string outDirectory,
        bool resume
    )
    {
        if (start.BaseDirectory is { } baseDirectory)
        {
            CopyTokenizerFiles(baseDirectory, outDirectory);
            return NoteTokenizer.Load(baseDirectory);
        }
        if (!resume)
        {
            var vocabulary = ByteLevelBpeTrainer.Train(data.Train.Select(n => n.Text), options.VocabularySize);
            ByteLevelBpeTrainer.Save(
                vocabulary,
                outDirectory,
                Math.Min(options.MaxLength, ModelSizes.Resolve(start.FromScratch!).MaxPositionEmbeddings - 2)
            );
        }
        return NoteTokenizer.Load(outDirectory);
    }

    /// <summary>The tokenizer files a base folder has, copied beside the new weights.</summary>
    public static void CopyTokenizerFiles(string baseDirectory, string outDirectory)
    {
        foreach (
            var file in new[]
            {
                "vocab.json",
                "merges.txt",
                "tokenizer.json",
                "tokenizer.model",
                "tokenizer_config.json",
                "special_tokens_map.json",
            }
        )
        {
            var source = Path.Combine(baseDirectory, file);
            if (File.Exists(source))
                File.Copy(source, Path.Combine(outDirectory, file), overwrite: true);
        }
    }

    public static RobertaConfig PrepareConfig(ModelStart start, FineTuneOptions options, NoteTokenizer tokenizer)
    {
        var config = start.BaseDirectory is { } baseDirectory
            ? RobertaConfig.Load(Path.Combine(baseDirectory, "config.json"))
            : ModelSizes.Resolve(start.FromScratch!) with
            {
                VocabSize = tokenizer.VocabularySize,
                PadTokenId = SpecialTokens.Require(tokenizer.Special.Pad, "padding"),
                BosTokenId = tokenizer.Special.Bos,
                EosTokenId = tokenizer.Special.Eos,
            };
        if (start.IsScratch)
        {
            // Positions past the training length would stay untrained; a from-scratch model gets only those it learns,
            // so every consumer windows long notes at the training length.
            var pad = config.PadTokenId;
            config = config with
            {
                MaxPositionEmbeddings = Math.Min(config.MaxPositionEmbeddings, options.MaxLength + pad + 1),
            };
        }
        config = config with
        {
            Architectures = ["RobertaForSequenceClassification"],
            Id2Label = ClassifierTrainer.Labels.Select((label, i) => (label, i)).ToDictionary(x => x.i, x => x.label),
        };
        if (options.MaxLength > config.MaxSequenceLength)
            throw new ArgumentException(
                $"--max-length {options.MaxLength} exceeds the model's {config.MaxSequenceLength} positions."
            );
        return options.Dropout is { } dropout
            ? config with
            {
                HiddenDropoutProb = dropout,
                AttentionProbsDropoutProb = dropout,
                ClassifierDropout = dropout,
            }
            : config;
    }

    public static RobertaForSequenceClassification CreateModel(
        RobertaConfig config,
        ModelStart start,
        FineTuneOptions options,
        ComputeTarget target
    )
    {
        RobertaForSequenceClassification model;
        if (start.BaseDirectory is { } baseDirectory)
        {
            using var pretrained = RobertaCheckpoint.LoadForFineTuning(
                baseDirectory,
                ComputeTarget.Cpu,
                ClassifierTrainer.Labels
            );
            model = new RobertaForSequenceClassification(config);
            var source = pretrained.state_dict();
            using var noGrad = no_grad();
            foreach (var (name, tensor) in model.state_dict())
                tensor.copy_(source[name]);
        }
        else
        {
            model = RobertaInitialisation.Random(config, options.Seed);
        }
        model.to(target.Device, ScalarType.Float32);
        model.train();
        return model;
    }

    public static Tensor? ClassWeights(IReadOnlyList<LabelledNote> train, bool weighted, Device device)
    {
        if (!weighted)
            return null;
        var positives = train.Count(n => n.Label == 1);
        var negatives = train.Count - positives;
        return tensor(new[] { train.Count / (2f * negatives), train.Count / (2f * positives) }, device: device);
    }
}
