using System.Globalization;
using System.Text.Json;
using Clinical.Models.Scoring;
using Clinical.Models.Tabular;
using Clinical.Models.Training;

namespace Clinical.Models.Evaluation;

/// <summary>
/// The positive share a model's probabilities were calibrated at (what a prior shift starts from), and where that
/// figure was read.
/// </summary>
public sealed record CalibratedPrevalence(double Value, string Source)
{
    /// <summary>
    /// A note classifier folder's: model-card.json calibration.prevalence (written by finetune and calibrate); for
    /// cards written before that field, an assumed_prevalence.value stated by hand, else the dev share in counts, which
    /// is the set the temperature was fitted on unless the folder was recalibrated on other data (a "recalibrated" dev
    /// fingerprint that differs from training's); else unknown (null).
    /// </summary>
    public static CalibratedPrevalence? OfNoteClassifier(string directory)
    {
        if (ModelCard.ReadCalibration(directory).Prevalence is { } stated)
            return new(stated, "model-card.json calibration.prevalence");
        var path = Path.Combine(directory, ModelCard.FileName);
        if (!File.Exists(path))
            return null;
        using var card = JsonDocument.Parse(File.ReadAllText(path));
        var root = card.RootElement;
        if (
            root.TryGetProperty("assumed_prevalence", out var assumed)
            && assumed.ValueKind == JsonValueKind.Object
            && assumed.TryGetProperty("value", out var value)
            && value.ValueKind == JsonValueKind.Number
        )
            return new(value.GetDouble(), "model-card.json assumed_prevalence (stated by hand)");
        if (
            !root.TryGetProperty("counts", out var counts)
            || !counts.TryGetProperty("dev", out var dev)
            || !counts.TryGetProperty("dev_positives", out var positives)
            || dev.GetInt32() <= 0
        )
            return null;
        var trainedOn = Fingerprint(root, "training");
        var recalibratedOn = Fingerprint(root, "recalibrated");
        if (root.TryGetProperty("recalibrated", out _) && (recalibratedOn is null || recalibratedOn != trainedOn))
            return null;
        return Share(
            positives.GetInt32(),
            dev.GetInt32(),
            "model-card.json counts (dev_positives / dev), the set its temperature was fitted on"
        );
    }

    /// <summary>
    /// The combined engine's: stacking.json calibrationPrevalence; for stacks written before that field, the tabular
    /// card's "dev tabular" share when its patient count is the stack's dev count (train-tabular fits the stack and
    /// its Platt scaling on that split and writes both files together); else unknown (null), as for the documented
    /// default combination, whose probabilities follow the ESC peptide curve rather than a fitted prevalence.
    /// </summary>
    public static CalibratedPrevalence? OfEngine(StackedCombiner combiner, TabularModelCard? card)
    {
        ArgumentNullException.ThrowIfNull(combiner);
        if (combiner.CalibrationPrevalence is { } stated)
            return new(stated, "stacking.json calibrationPrevalence");
        if (
            combiner.Fits.Count > 0
            && card?.Metrics.GetValueOrDefault("dev tabular") is { } dev
            && dev.Patients == combiner.Fits.Max(f => f.DevPatients)
        )
            return Share(
                dev.Positives,
                dev.Patients,
                "card.json metrics \"dev tabular\" (positives / patients), the dev split stacking.json was fitted on"
            );
        return null;
    }

    /// <summary>
    /// The stated figure (--calibrated-at) when given, else the recorded one; neither is bad input that says what to
    /// give.
    /// </summary>
    public static CalibratedPrevalence Choose(double? stated, CalibratedPrevalence? recorded, string subject)
    {
        if (stated is { } value)
        {
            if (!(value > 0 && value < 1))
                throw new ArgumentException($"--calibrated-at {F(value)} must lie strictly between 0 and 1.");
            return new(
                value,
                recorded is null ? "--calibrated-at" : $"--calibrated-at (the card records {F(recorded.Value)})"
            );
        }
        return recorded
            ?? throw new ArgumentException(
                $"--prevalence needs the prevalence {subject} is calibrated at, which its card does not record: "
                    + "give it with --calibrated-at P0 (the positive share of the set it was calibrated on)."
            );
    }

    private static CalibratedPrevalence Share(int positives, int total, string source) =>
        new((double)positives / total, $"{source}: {positives} / {total}");

    private static string? Fingerprint(JsonElement root, string section) =>
        root.TryGetProperty(section, out var element)
        && element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty("dev_fingerprint", out var fingerprint)
            ? fingerprint.GetString()
            : null;

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
