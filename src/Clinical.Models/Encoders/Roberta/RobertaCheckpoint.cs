using Clinical.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Encoders.Roberta;

/// <summary>Loads Hugging Face RoBERTa folders (safetensors only) onto a compute target.</summary>
public static class RobertaCheckpoint
{
    /// <summary>
    /// A fine-tuned RobertaForSequenceClassification, loaded strictly: every tensor present, shaped and used; in the
    /// target's precision (int8: the encoder's linear layers quantized, the rest fp32).
    /// </summary>
    public static RobertaForSequenceClassification Load(string directory, ComputeTarget target)
    {
        var config = RobertaConfig.Load(Path.Combine(directory, "config.json"));
        var folder = CheckpointFolder.Open(directory);
        var model = new RobertaForSequenceClassification(config);
        folder.LoadInto(model, RobertaForSequenceClassification.IsIgnorableCheckpointKey);
        model.to(target.Device, target.DType);
        model.eval();
        if (target.Precision == Precision.Int8)
            QuantizedLinear.QuantizeAll(model);
        return model;
    }

    /// <summary>
    /// A pretrained encoder (e.g. the RobertaForMaskedLM bsc-bio-ehr-es) under a new, randomly initialised
    /// classification head with the given labels, to be fine-tuned. Every roberta.* tensor must be in the
    /// checkpoint with its shape; an MLM head, pooler or old classifier is left out; anything else is an error.
    /// </summary>
    public static RobertaForSequenceClassification LoadForFineTuning(
        string directory,
        ComputeTarget target,
        IReadOnlyList<string> labels
    )
    {
        var config = RobertaConfig.Load(Path.Combine(directory, "config.json")) with
        {
            Architectures = ["RobertaForSequenceClassification"],
            Id2Label = labels.Select((label, i) => (label, i)).ToDictionary(x => x.i, x => x.label),
        };
        var model = new RobertaForSequenceClassification(config);
        CopyEncoder(CheckpointFolder.Open(directory), model, head: "classifier.");
        model.to(target.Device, target.DType);
        return model;
    }

    /// <summary>
    /// A RobertaForMaskedLM to continue pretraining: a folder with an MLM head loads strictly; a folder without one (a
    /// bare encoder or a fine-tuned classifier) gives its encoder under a new head initialised from the seed, as
    /// transformers does when lm_head.* is missing. The model stays in fp32 on the CPU (training moves it).
    /// </summary>
    public static RobertaForMaskedLM LoadForPretraining(string directory, long seed)
    {
        var config = RobertaConfig.Load(Path.Combine(directory, "config.json")) with
        {
            Architectures = ["RobertaForMaskedLM"],
        };
        var folder = CheckpointFolder.Open(directory);
        var model = new RobertaForMaskedLM(config);
        if (folder.TensorNames.Any(k => k.StartsWith("lm_head.", StringComparison.Ordinal)))
        {
            folder.LoadInto(model, RobertaForMaskedLM.IsIgnorableCheckpointKey);
            return model;
        }
        RobertaInitialisation.Initialise(
            model,
            config,
            seed,
            only: k => k.StartsWith("lm_head.", StringComparison.Ordinal)
        );
        CopyEncoder(folder, model, head: "lm_head.");
        return model;
    }

    /// <summary>
    /// Copies every roberta.* tensor of the folder into the model, strictly: each must be present with its shape; the
    /// model's own head (named by its prefix) is left as it is; an MLM head, pooler or classifier in the folder is
    /// skipped; anything else is an error.
    /// </summary>
    private static void CopyEncoder(CheckpointFolder folder, nn.Module model, string head)
    {
        var directory = folder.Directory;
        var encoder = model.state_dict().Where(kv => !kv.Key.StartsWith(head, StringComparison.Ordinal)).ToList();
        var missing = encoder
            .Select(kv => kv.Key)
            .Where(k => !folder.TensorNames.Contains(k))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (missing.Count > 0)
            throw new CheckpointException(
                $"{directory}: missing encoder tensor{(missing.Count > 1 ? "s" : "")} "
                    + $"{string.Join(", ", missing.Take(10).Select(k => $"'{k}'"))}."
            );
        var unexpected = folder
            .TensorNames.Where(k =>
                !k.StartsWith("roberta.", StringComparison.Ordinal) || !encoder.Exists(kv => kv.Key == k)
            )
            .Where(k =>
                !RobertaForSequenceClassification.IsIgnorableCheckpointKey(k)
                && !k.StartsWith("classifier.", StringComparison.Ordinal)
            )
            .Order(StringComparer.Ordinal)
            .ToList();
        if (unexpected.Count > 0)
            throw new CheckpointException(
                $"{directory}: unexpected tensor{(unexpected.Count > 1 ? "s" : "")} "
                    + $"{string.Join(", ", unexpected.Take(10).Select(k => $"'{k}'"))} "
                    + "(not part of a RoBERTa encoder)."
            );
        using var noGrad = no_grad();
        foreach (var (name, parameter) in encoder)
        {
            var entry = folder.Entry(name);
            if (!entry.Shape.SequenceEqual(parameter.shape))
                throw new CheckpointException(
                    $"{directory}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}] "
                        + $"but the model expects [{string.Join(", ", parameter.shape)}]."
                );
            using var stored = folder.Read(name);
            parameter.copy_(stored);
        }
    }
}
