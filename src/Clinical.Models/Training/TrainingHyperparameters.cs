using System.Diagnostics.CodeAnalysis;

namespace Clinical.Models.Training;

/// <summary>
/// The hyper-parameters fine-tuning and pretraining share, read by the one training loop (<see cref="TrainingLoop"/>)
/// and the shared command-line options. The two option records stay flat (their JSON goes to the model card and the
/// resume fingerprint as it is) and keep their own defaults.
/// </summary>
public interface ITrainingHyperparameters
{
    int Epochs { get; }

    double? LearningRate { get; }

    int BatchSize { get; }

    int GradientAccumulation { get; }

    int MaxLength { get; }

    long Seed { get; }

    double WarmupRatio { get; }

    double WeightDecay { get; }

    double MaxGradNorm { get; }

    int LogEverySteps { get; }

    int CheckpointEverySteps { get; }

    int VocabularySize { get; }

    double PeakLearningRate(bool fromScratch);
}

internal static class TrainingHyperparameters
{
    /// <summary>Checks the shared hyper-parameters, each error naming its command-line option.</summary>
    [SuppressMessage("Usage", "CA2208", Justification = "The parameter name is the command-line option's.")]
    public static void Validate(ITrainingHyperparameters options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1, "--epochs");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, "--batch-size");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.GradientAccumulation, 1, "--gradient-accumulation");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLength, 8, "--max-length");
        if (options.LearningRate is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(
                "--lr",
                options.LearningRate,
                "The learning rate must lie in (0, 1]."
            );
        if (options.WarmupRatio is < 0 or > 1)
            throw new ArgumentOutOfRangeException(
                "--warmup-ratio",
                options.WarmupRatio,
                "The warm-up ratio must lie in [0, 1]."
            );
    }
}
