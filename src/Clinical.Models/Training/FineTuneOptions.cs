using Clinical.Models.Text;

namespace Clinical.Models.Training;

/// <summary>Hyper-parameters of one fine-tuning run; all of them are written to the model card.</summary>
public sealed record FineTuneOptions : ITrainingHyperparameters
{
    public int Epochs { get; init; } = 3;

    /// <summary>Peak learning rate after warm-up. Null: 5e-5 for a pretrained base, 5e-4 from scratch.</summary>
    public double? LearningRate { get; init; }

    public int BatchSize { get; init; } = 16;

    /// <summary>Micro-batches whose gradients are summed before one optimizer step.</summary>
    public int GradientAccumulation { get; init; } = 1;

    /// <summary>Tokens per window, &lt;s&gt; and &lt;/s&gt; included, in training and at inference.</summary>
    public int MaxLength { get; init; } = 256;

    /// <summary>
    /// Which windows of a note are trained on; the note's log-odds is its most positive window's (multi-instance
    /// learning), and the policy is stored in the card so inference chooses and pools windows the same way.
    /// </summary>
    public WindowSelection Windows { get; init; } = WindowSelection.First;

    /// <summary>The most windows per note with mention-centred windows.</summary>
    public int MaxWindows { get; init; } = 8;

    /// <summary>Whether each mention is preceded by a marker naming its assertion (see MentionMarking).</summary>
    public MentionMarking MentionMarking { get; init; } = MentionMarking.None;

    /// <summary>Content tokens shared by consecutive windows when all are read (at most half a window).</summary>
    public int WindowOverlap { get; init; } = 128;

    public long Seed { get; init; } = 42;

    public double WarmupRatio { get; init; } = 0.1;

    public double WeightDecay { get; init; } = 0.01;

    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>
    /// Weight each class by N / (2 · n_class) in the loss, so a rare positive class counts as much as the common one.
    /// </summary>
    public bool ClassWeighting { get; init; } = true;

    /// <summary>Overrides the config's hidden, attention and classifier dropout when set.</summary>
    public double? Dropout { get; init; }

    /// <summary>Epochs without a better dev AUPRC before training stops.</summary>
    public int Patience { get; init; } = 2;

    /// <summary>Sensitivity the operating threshold is chosen for on dev.</summary>
    public double TargetSensitivity { get; init; } = 0.90;

    /// <summary>Log a progress line every this many optimizer steps when the output is not a terminal.</summary>
    public int LogEverySteps { get; init; } = 20;

    /// <summary>
    /// Write the resumable checkpoint every this many optimizer steps (and always at an epoch's end and on
    /// interruption).
    /// </summary>
    public int CheckpointEverySteps { get; init; } = 50;

    /// <summary>Byte-level BPE vocabulary size when training from scratch.</summary>
    public int VocabularySize { get; init; } = 4000;

    public WindowPolicy WindowPolicy() =>
        new(Windows, MaxLength, Math.Min(WindowOverlap, (MaxLength - 2) / 2), MaxWindows, MentionMarking);

    public double PeakLearningRate(bool fromScratch) => LearningRate ?? (fromScratch ? 5e-4 : 5e-5);

    public void Validate()
    {
        TrainingHyperparameters.Validate(this);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWindows, 1, "--max-windows");
        ArgumentOutOfRangeException.ThrowIfNegative(WindowOverlap, "--window-overlap");
        if (Dropout is < 0 or >= 1)
            throw new ArgumentOutOfRangeException("--dropout", Dropout, "Dropout must lie in [0, 1).");
        if (TargetSensitivity is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(
                "--target-sensitivity",
                TargetSensitivity,
                "The target sensitivity must lie in (0, 1]."
            );
    }
}

/// <summary>
/// Linear warm-up from 0 to the peak over the first steps, then linear decay to 0 at the last step (transformers'
/// get_linear_schedule_with_warmup).
/// </summary>
public sealed record LinearWarmupSchedule(double PeakLearningRate, int WarmupSteps, int TotalSteps)
{
    /// <summary>The learning rate used for optimizer step number <paramref name="step"/> (0-based).</summary>
    public double At(int step) =>
        step < WarmupSteps
            ? PeakLearningRate * (step + 1) / Math.Max(1, WarmupSteps)
            : PeakLearningRate * Math.Max(0, TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps);
}
