using Clinical.Models.Runtime;
using TorchSharp;

namespace Clinical.Models.Encoders.Roberta;

/// <summary>Loads a Hugging Face RobertaForSequenceClassification folder strictly, onto a compute target.</summary>
public static class RobertaCheckpoint
{
    public static RobertaForSequenceClassification Load(string directory, ComputeTarget target)
    {
        var config = RobertaConfig.Load(Path.Combine(directory, "config.json"));
        var folder = CheckpointFolder.Open(directory);
        var model = new RobertaForSequenceClassification(config);
        folder.LoadInto(model, RobertaForSequenceClassification.IsIgnorableCheckpointKey);
        model.to(target.Device, target.DType);
        model.eval();
        return model;
    }
}
