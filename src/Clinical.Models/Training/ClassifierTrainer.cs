using System.Globalization;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Evaluation;
using Clinical.Models.Runtime;
using Clinical.Models.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Training;

/// <summary>
/// Fine-tunes (or trains from scratch) a RobertaForSequenceClassification on labelled notes, as
/// transformers' Trainer does it: AdamW with decay on weights only (no decay on biases and LayerNorm
/// weights), linear warm-up then linear decay, gradient clipping, gradient accumulation, class-weighted
/// cross-entropy, dev AUPRC each epoch with early stopping, and the best epoch's weights kept.
/// Deterministic on CPU for a seed: the data order is a seeded shuffle per epoch and the dropout
/// generator is reseeded from (seed, step) before every optimizer step, so an interrupted run resumed
/// from OUT/resume/ (weights, optimizer state, step, data position) ends with the same weights.
/// The dropout generator is libtorch's process-wide one: nothing else in the process may draw from it
/// while a run that must be reproducible trains.
/// </summary>
public sealed class ClassifierTrainer(ComputeTarget target, TrainingLog log)
{
    public static readonly IReadOnlyList<string> Labels = ["no_heart_failure", "heart_failure"];

    /// <summary>
    /// Trains and writes config.json, model.safetensors and the tokenizer files to <paramref name="outDirectory"/>;
    /// calibration and the card are the caller's.
    /// </summary>
    public TrainingOutcome Train(
        TrainingData data,
        ModelStart start,
        FineTuneOptions options,
        string outDirectory,
        bool resume,
        Action<TrainingProgress>? onStep = null,
        CancellationToken cancellationToken = default
    )
    {
        options.Validate();
        TrainingSetup.CheckData(data);
        var runFingerprint = TrainingSetup.RunFingerprint(data, start, options);
        var state = TrainingLoop<RobertaForSequenceClassification>.OpenRun(
            outDirectory,
            resume,
            runFingerprint,
            "data"
        );
        if (!resume)
            File.Delete(Path.Combine(outDirectory, ModelCard.FileName));

        torch.manual_seed(options.Seed);
        var tokenizer = TrainingSetup.PrepareTokenizer(data, start, options, outDirectory, resume);
        var config = TrainingSetup.PrepareConfig(start, options, tokenizer);
        File.WriteAllText(Path.Combine(outDirectory, "config.json"), config.ToJson());

        using var master = TrainingSetup.CreateModel(config, start, options, target);
        using var loop = new TrainingLoop<RobertaForSequenceClassification>(
            target,
            log,
            master,
            () => new RobertaForSequenceClassification(config),
            options,
            start.IsScratch,
            outDirectory,
            resume
        );

        var windows = options.WindowPolicy();
        log.Line(
            $"tokenising {data.Train.Count} training and {data.Dev.Count} dev notes ({windows.Selection} windows)"
        );
        var train = TrainingBatches.Encode(tokenizer, data.Train, windows);
        var dev = TrainingBatches.Encode(tokenizer, data.Dev, windows);
        using var classWeights = TrainingSetup.ClassWeights(data.Train, options.ClassWeighting, target.Device);

        (Tensor?, long) MicroBatchLoss(RobertaForSequenceClassification model, int epoch, IReadOnlyList<int> indices)
        {
            var batch = indices.Select(i => train[i]).ToList();
            var (ids, mask, labels, notes) = TrainingBatches.ToTensors(batch, config.PadTokenId, target.Device);
            var logits = model.call(ids, mask).to(ScalarType.Float32);
            return (
                NoteLoss(TrainingBatches.NoteLogOdds(logits, notes), labels, classWeights),
                batch.Sum(e => e.Tokens)
            );
        }

        ResumeState EpochEnd(RobertaForSequenceClassification model, int epoch, double trainLoss, ResumeState next)
        {
            var (auprc, auroc) = EvaluateDev(model, dev, options.BatchSize, config.PadTokenId);
            var improved = auprc > next.BestAuprc || next.BestEpoch < 0;
            if (improved)
                ResumeCheckpoint.SaveBest(outDirectory, master);
            next = next with
            {
                BestAuprc = improved ? auprc : next.BestAuprc,
                BestEpoch = improved ? epoch : next.BestEpoch,
                EpochsWithoutImprovement = improved ? 0 : next.EpochsWithoutImprovement + 1,
                History = [.. next.History, new EpochResult(epoch + 1, trainLoss, auprc, auroc)],
            };
            log.Line(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"epoch {epoch + 1}: train loss {trainLoss:F4}, dev AUPRC {auprc:F4}, "
                        + $"dev AUROC {auroc:F4}{(improved ? " (best so far, kept)" : "")}"
                )
            );
            if (next.EpochsWithoutImprovement < options.Patience)
                return next;
            log.Line($"early stopping: no better dev AUPRC for {options.Patience} epoch(s)");
            return next with { Epoch = options.Epochs };
        }

        (state, var total) = loop.Run(
            state,
            train.Count,
            MicroBatchLoss,
            EpochEnd,
            "training",
            onStep,
            cancellationToken,
            m => CheckpointFolder.Open(ResumeCheckpoint.BestDirectory(outDirectory)).LoadInto(m)
        );
        return new TrainingOutcome(
            state.History,
            state.BestEpoch + 1,
            state.Step,
            total,
            state.Tokens / Math.Max(total, 1e-9),
            target.ToString()
        );
    }

    /// <summary>
    /// Class-weighted binary cross-entropy on note log-odds, normalised by the weights as cross_entropy(weight: w)
    /// does; with one window per note it equals the two-label cross-entropy on the window's logits.
    /// </summary>
    private static Tensor NoteLoss(Tensor logOdds, Tensor labels, Tensor? classWeights)
    {
        using var scope = NewDisposeScope();
        var targets = labels.to(ScalarType.Float32);
        var losses = nn.functional.binary_cross_entropy_with_logits(logOdds, targets, reduction: nn.Reduction.None);
        if (classWeights is null)
            return losses.mean().MoveToOuterDisposeScope();
        var w = classWeights.index_select(0, labels);
        return losses.mul(w).sum().div(w.sum()).MoveToOuterDisposeScope();
    }

    private (double Auprc, double Auroc) EvaluateDev(
        RobertaForSequenceClassification model,
        List<EncodedExample> dev,
        int batchSize,
        int pad
    )
    {
        model.eval();
        var probabilities = new List<double>(dev.Count);
        using (inference_mode())
        {
            for (var start = 0; start < dev.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var batch = dev.Skip(start).Take(batchSize).ToList();
                var (ids, mask, _, notes) = TrainingBatches.ToTensors(batch, pad, target.Device);
                var p = TrainingBatches
                    .NoteLogOdds(model.call(ids, mask).to(ScalarType.Float32), notes)
                    .sigmoid()
                    .cpu()
                    .data<float>()
                    .ToArray();
                probabilities.AddRange(p.Select(v => (double)v));
            }
        }
        model.train();
        var labels = dev.Select(e => e.Label).ToList();
        return (BinaryMetrics.AveragePrecision(labels, probabilities), BinaryMetrics.Auroc(labels, probabilities));
    }
}
