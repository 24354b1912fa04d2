using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Clinical.Models.Training;

/// <summary>
/// AdamW as transformers' Trainer sets it up: weight decay on weights only, none on biases and LayerNorm weights
/// (Loshchilov and Hutter, 2019, "Decoupled Weight Decay Regularization"). One implementation for every training run.
/// </summary>
internal static class AdamWGroups
{
    public static bool NoDecay(string name) =>
        name.EndsWith(".bias", StringComparison.Ordinal)
        || name.Contains("LayerNorm.weight", StringComparison.Ordinal)
        || name.Contains("layer_norm.weight", StringComparison.Ordinal);

    public static AdamW Create(
        IReadOnlyList<(string name, Parameter parameter)> parameters,
        double peakLearningRate,
        double weightDecay
    ) =>
        optim.AdamW(
            [
                new AdamW.ParamGroup(
                    parameters.Where(p => !NoDecay(p.name)).Select(p => p.parameter),
                    lr: peakLearningRate,
                    weight_decay: weightDecay
                ),
                new AdamW.ParamGroup(
                    parameters.Where(p => NoDecay(p.name)).Select(p => p.parameter),
                    lr: peakLearningRate,
                    weight_decay: 0
                ),
            ],
            lr: peakLearningRate
        );

    /// <summary>Sets the learning rate of every group for the next step.</summary>
    public static void SetLearningRate(AdamW optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = learningRate;
    }
}
