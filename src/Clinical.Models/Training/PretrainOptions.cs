namespace Clinical.Models.Training;

/// <summary>Hyper-parameters of one masked-language-model pretraining run; all go to pretraining.json.</summary>
public sealed record PretrainOptions
{
    public int Epochs { get; init; } = 3;

    /// <summary>Peak learning rate after warm-up. Null: 5e-4 from scratch, 1e-4 continuing a model.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Sequences per micro-batch.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Micro-batches whose gradients are summed before one optimizer step.</summary>
    public int GradientAccumulation { get; init; } = 1;

    /// <summary>
    /// Tokens per sequence, &lt;s&gt; and &lt;/s&gt; included. Texts are packed (RoBERTa's FULL-SENTENCES: a document
    /// boundary is a &lt;/s&gt; inside the sequence) and cut into sequences of this length.
    /// </summary>
    public int MaxLength { get; init; } = 128;

    /// <summary>Share of tokens chosen for prediction (BERT: 15 %).</summary>
    public double MaskProbability { get; init; } = 0.15;

    /// <summary>Choose whole words rather than single BPE tokens (every token of a chosen word is predicted).</summary>
    public bool WholeWordMasking { get; init; }

    public long Seed { get; init; } = 42;

    public double WarmupRatio { get; init; } = 0.06;

    public double WeightDecay { get; init; } = 0.01;

    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Share of documents held out to measure the masked-token loss and accuracy after each epoch.</summary>
    public double HeldOutShare { get; init; } = 0.05;

    /// <summary>Log a progress line every this many optimizer steps (and every 30 s) when not on a terminal.</summary>
    public int LogEverySteps { get; init; } = 20;

    /// <summary>Write the resumable checkpoint every this many optimizer steps (and at each epoch's end).</summary>
    public int CheckpointEverySteps { get; init; } = 50;

    /// <summary>Byte-level BPE vocabulary size when training from scratch.</summary>
    public int VocabularySize { get; init; } = 8000;

    /// <summary>Texts the from-scratch tokenizer is trained on, at most (the first ones, in input order).</summary>
    public int TokenizerDocuments { get; init; } = 20000;

    public double PeakLearningRate(bool fromScratch) => LearningRate ?? (fromScratch ? 5e-4 : 1e-4);

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, "--epochs");
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, "--batch-size");
        ArgumentOutOfRangeException.ThrowIfLessThan(GradientAccumulation, 1, "--gradient-accumulation");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLength, 8, "--max-length");
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckpointEverySteps, 1, "--checkpoint-every");
        if (LearningRate is <= 0 or > 1)
            throw new ArgumentOutOfRangeException("--lr", LearningRate, "The learning rate must lie in (0, 1].");
        if (MaskProbability is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(
                "--mask-probability",
                MaskProbability,
                "The mask probability must lie in (0, 1)."
            );
        if (HeldOutShare is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(
                "--held-out-share",
                HeldOutShare,
                "The held-out share must lie in [0, 1)."
            );
        if (WarmupRatio is < 0 or > 1)
            throw new ArgumentOutOfRangeException(
                "--warmup-ratio",
                WarmupRatio,
                "The warm-up ratio must lie in [0, 1]."
            );
    }
}
