namespace Clinical.Models.Training;

/// <summary>
/// Where the model starts: a pretrained Hugging Face folder, or a named size / config file trained from scratch with a
/// new tokenizer.
/// </summary>
public sealed record ModelStart(string? BaseDirectory, string? FromScratch)
{
    public static ModelStart Pretrained(string directory) => new(directory, null);

    public static ModelStart Scratch(string size) => new(null, size);

    public bool IsScratch => FromScratch is not null;

    public string Describe() =>
        BaseDirectory is { } dir ? Path.GetFullPath(dir) : $"none (trained from scratch, size '{FromScratch}')";
}

/// <summary>
/// Labelled train and dev notes, what they are, and whether they are synthetic (which the model card must say).
/// </summary>
public sealed record TrainingData(
    IReadOnlyList<LabelledNote> Train,
    IReadOnlyList<LabelledNote> Dev,
    string Description,
    bool Synthetic
);

/// <summary>
/// What a finished run reports: per-epoch dev results, the best epoch kept, steps, time and throughput.
/// </summary>
public sealed record TrainingOutcome(
    IReadOnlyList<EpochResult> History,
    int BestEpoch,
    int Steps,
    double Seconds,
    double TokensPerSecond,
    string Device
);
