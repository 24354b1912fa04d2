using System.Text.Json;
using System.Text.Json.Nodes;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Evaluation;
using Clinical.Models.Runtime;
using Clinical.Models.Text;
using TorchSharp;

namespace Clinical.Models.Training;

/// <summary>
/// A whole fine-tuning run: train (keeping the best dev epoch), then calibrate on dev through the
/// same NoteClassifier every consumer uses (temperature scaling, threshold for the target
/// sensitivity), measure dev, and write model-card.json beside the weights.
/// </summary>
public static class FineTuning
{
    public static ModelCard Run(
        TrainingData data,
        ModelStart start,
        FineTuneOptions options,
        string outDirectory,
        ComputeTarget target,
        bool resume,
        TrainingLog log,
        Action<TrainingProgress>? onStep = null,
        CancellationToken cancellationToken = default
    )
    {
        var outcome = new ClassifierTrainer(target, log).Train(
            data,
            start,
            options,
            outDirectory,
            resume,
            onStep,
            cancellationToken
        );
        var windows = options.WindowPolicy();
        log.Line($"calibrating on {data.Dev.Count} dev notes");
        var (calibration, metrics) = Calibrate(outDirectory, target, data.Dev, options.TargetSensitivity, windows);
        var card = new ModelCard(
            Model: "RobertaForSequenceClassification (heart-failure note classifier)",
            BaseModel: start.Describe(),
            DataDescription: data.Description,
            DataFingerprint: LabelledNotes.Fingerprint(data.Train),
            Counts: new DataCounts(
                data.Train.Count,
                data.Train.Count(n => n.Label == 1),
                data.Dev.Count,
                data.Dev.Count(n => n.Label == 1)
            ),
            HyperParameters: HyperParameters(options, start),
            DevMetrics: metrics,
            Calibration: calibration,
            Training: new Dictionary<string, object?>
            {
                ["dev_fingerprint"] = LabelledNotes.Fingerprint(data.Dev),
                ["device"] = outcome.Device,
                ["steps"] = outcome.Steps,
                ["best_epoch"] = outcome.BestEpoch,
                ["seconds"] = Math.Round(outcome.Seconds, 1),
                ["tokens_per_second"] = Math.Round(outcome.TokensPerSecond),
                ["history"] = outcome.History,
            },
            Date: DateTimeOffset.UtcNow,
            ProductVersion: ModelCard.ProductVersionOf(),
            IntendedUse: "Decision support: the probability that a primary-care note documents heart failure, "
                + "for a clinician to review. Not a diagnosis.",
            Warning: data.Synthetic ? ModelCard.SyntheticWarning : null,
            Windows: windows
        );
        card.Save(outDirectory);
        return card;
    }

    /// <summary>
    /// Fits the temperature and threshold on dev with the folder's classifier (loaded uncalibrated), and measures dev
    /// with them.
    /// </summary>
    public static (Calibration Calibration, EvaluationMetrics Metrics) Calibrate(
        string directory,
        ComputeTarget target,
        IReadOnlyList<LabelledNote> dev,
        double targetSensitivity,
        WindowPolicy? windows
    )
    {
        File.Delete(Path.Combine(directory, ModelCard.FileName));
        var labels = dev.Select(n => n.Label).ToList();
        IReadOnlyList<double> logOdds;
        using (var classifier = NoteClassifier.Load(directory, target, NoteClassifierOptions.For(windows)))
            logOdds = NoteScoring.LogOdds(classifier, dev.Select(n => n.Text));
        var temperature = TemperatureScaling.Fit(logOdds, labels);
        var probabilities = logOdds.Select(z => TemperatureScaling.Probability(z, temperature)).ToList();
        var threshold = BinaryMetrics.ThresholdForSensitivity(labels, probabilities, targetSensitivity);
        var calibration = new Calibration(
            "temperature scaling on dev (minimum NLL)",
            temperature,
            threshold,
            targetSensitivity,
            TemperatureScaling.NegativeLogLikelihood(logOdds, labels, 1),
            TemperatureScaling.NegativeLogLikelihood(logOdds, labels, temperature)
        );
        return (calibration, EvaluationMetrics.Compute(labels, probabilities, threshold));
    }

    /// <summary>
    /// Refits the temperature and threshold of an existing classifier folder on (new) dev data, optionally
    /// storing its weights in another dtype first (bf16 halves the folder; calibration is then fitted on the
    /// weights as stored), and updates model-card.json: calibration, dev metrics, and a "recalibrated" record.
    /// </summary>
    public static JsonObject Recalibrate(
        string directory,
        IReadOnlyList<LabelledNote> dev,
        string devDescription,
        double targetSensitivity,
        torch.ScalarType? weightsDType,
        ComputeTarget target
    )
    {
        var cardPath = Path.Combine(directory, ModelCard.FileName);
        var card = File.Exists(cardPath) ? JsonNode.Parse(File.ReadAllText(cardPath))!.AsObject() : new JsonObject();
        if (weightsDType is { } dtype)
        {
            using var model = RobertaCheckpoint.Load(directory, ComputeTarget.Cpu);
            CheckpointFolder.Save(model, directory, dtype, new Dictionary<string, string> { ["format"] = "pt" });
            File.WriteAllText(
                Path.Combine(directory, "config.json"),
                model.Config.ToJson(dtype == torch.ScalarType.BFloat16 ? "bfloat16" : "float32")
            );
        }
        var (calibration, metrics) = Calibrate(
            directory,
            target,
            dev,
            targetSensitivity,
            ModelCard.ReadWindows(directory)
        );
        card["calibration"] = JsonSerializer.SerializeToNode(calibration, ModelCard.Json);
        card["dev_metrics"] = JsonSerializer.SerializeToNode(metrics, ModelCard.Json);
        card["recalibrated"] = new JsonObject
        {
            ["date"] = DateTimeOffset.UtcNow,
            ["dev"] = devDescription,
            ["dev_fingerprint"] = LabelledNotes.Fingerprint(dev),
            ["weights_dtype"] = weightsDType?.ToString() ?? "unchanged",
        };
        File.WriteAllText(cardPath, card.ToJsonString(ModelCard.Json));
        return card;
    }

    private static Dictionary<string, object?> HyperParameters(FineTuneOptions options, ModelStart start)
    {
        var values = JsonSerializer
            .SerializeToElement(options)
            .EnumerateObject()
            .ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        values["PeakLearningRate"] = options.PeakLearningRate(start.IsScratch);
        values["Optimizer"] =
            "AdamW (no weight decay on biases and LayerNorm weights), linear warm-up then linear decay, "
            + "gradient clipping";
        return values;
    }
}
