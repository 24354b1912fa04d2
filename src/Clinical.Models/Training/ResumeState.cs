using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clinical.Models.Training;

/// <summary>Dev AUPRC and mean training loss after one epoch.</summary>
public sealed record EpochResult(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("train_loss")] double TrainLoss,
    [property: JsonPropertyName("dev_auprc")] double DevAuprc,
    [property: JsonPropertyName("dev_auroc")] double DevAuroc
);

/// <summary>Mean masked-token loss on the training sequences, loss and accuracy on held-out ones, per epoch.</summary>
public sealed record PretrainEpoch(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("train_loss")] double TrainLoss,
    [property: JsonPropertyName("held_out_loss")] double HeldOutLoss,
    [property: JsonPropertyName("held_out_accuracy")] double HeldOutAccuracy
);

/// <summary>
/// The position of an interrupted run, saved with its weights and optimizer state in OUT/resume/:
/// the next epoch and micro-batch, the optimizer step (which fixes the learning rate and the dropout
/// seed), early-stopping bookkeeping, and a fingerprint of the data and options so a resume cannot
/// silently continue a different run.
/// </summary>
internal sealed record ResumeState(
    [property: JsonPropertyName("run_fingerprint")] string RunFingerprint,
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("micro_batch")] int MicroBatch,
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("epoch_loss_sum")] double EpochLossSum,
    [property: JsonPropertyName("epoch_loss_count")] int EpochLossCount,
    [property: JsonPropertyName("best_auprc")] double BestAuprc,
    [property: JsonPropertyName("best_epoch")] int BestEpoch,
    [property: JsonPropertyName("epochs_without_improvement")] int EpochsWithoutImprovement,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("elapsed_seconds")] double ElapsedSeconds,
    [property: JsonPropertyName("history")] IReadOnlyList<EpochResult> History,
    [property: JsonPropertyName("pretraining_history")] IReadOnlyList<PretrainEpoch>? PretrainHistory = null
)
{
    public const string Folder = "resume";
    private const string FileName = "state.json";

    public static ResumeState Start(string runFingerprint) =>
        new(runFingerprint, 0, 0, 0, 0, 0, double.NegativeInfinity, -1, 0, 0, 0, []);

    public static string StatePath(string outDirectory) => Path.Combine(outDirectory, Folder, FileName);

    public static bool Exists(string outDirectory) => File.Exists(StatePath(outDirectory));

    public void SaveTo(string checkpointDirectory) =>
        File.WriteAllText(Path.Combine(checkpointDirectory, FileName), JsonSerializer.Serialize(this, ModelCard.Json));

    public static ResumeState Load(string outDirectory) =>
        JsonSerializer.Deserialize<ResumeState>(File.ReadAllText(StatePath(outDirectory)), ModelCard.Json)
        ?? throw new InvalidDataException($"{StatePath(outDirectory)} is empty.");
}
