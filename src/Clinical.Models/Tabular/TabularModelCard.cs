using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clinical.Models.Tabular;

public sealed record SplitMetrics(int Patients, int Positives, double Auroc, double Auprc, double Brier);

/// <summary>
/// The model card written beside model.zip: identity, schema, training data and command, and held-out metrics.
/// </summary>
public sealed record TabularModelCard(
    string Name,
    string Version,
    string Trainer,
    IReadOnlyList<string> Features,
    string TrainingData,
    string Labels,
    string Command,
    IReadOnlyDictionary<string, SplitMetrics> Metrics,
    IReadOnlyList<string> Limitations
)
{
    public const string FileName = "card.json";

    /// <summary>
    /// The positive share of the training split, where ML.NET fits FastTree's Platt calibrator: the prevalence the
    /// tabular probability assumes. Null in cards written before it was recorded. (The combined probability's is
    /// stacking.json's.)
    /// </summary>
    public double? CalibrationPrevalence { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public void Save(string directory) =>
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    public static TabularModelCard Load(string directory) =>
        JsonSerializer.Deserialize<TabularModelCard>(File.ReadAllText(Path.Combine(directory, FileName)), Json)
        ?? throw new InvalidDataException($"{directory}/{FileName} is empty.");
}
