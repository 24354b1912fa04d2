using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Evaluation;
using Clinical.Models.Runtime;
using Clinical.Models.Text;
using TorchSharp;
using TorchSharp.Modules;
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
        var resumeDirectory = ResumeCheckpoint.Directory(outDirectory);
        ResumeCheckpoint.Recover(outDirectory);
        var runFingerprint = TrainingSetup.RunFingerprint(data, start, options);
        if (resume && !ResumeState.Exists(outDirectory))
            throw new ArgumentException(
                $"--resume: {outDirectory} holds no interrupted run ({ResumeState.StatePath(outDirectory)} is missing)."
            );
        if (!resume && ResumeState.Exists(outDirectory))
            throw new ArgumentException(
                $"{outDirectory} holds an interrupted run; pass --resume to continue it or choose another --out."
            );
        var state = resume ? ResumeState.Load(outDirectory) : ResumeState.Start(runFingerprint);
        if (state.RunFingerprint != runFingerprint)
            throw new ArgumentException(
                $"--resume: the data or options differ from the interrupted run in {outDirectory}; "
                    + "resume with the same command."
            );
        Directory.CreateDirectory(outDirectory);
        if (!resume)
            File.Delete(Path.Combine(outDirectory, ModelCard.FileName));

        torch.manual_seed(options.Seed);
        var tokenizer = TrainingSetup.PrepareTokenizer(data, start, options, outDirectory, resume);
        var config = TrainingSetup.PrepareConfig(start, options, tokenizer);
        File.WriteAllText(Path.Combine(outDirectory, "config.json"), config.ToJson());

        using var master = TrainingSetup.CreateModel(config, start, options, target);
        using var weights = new MasterWeights<RobertaForSequenceClassification>(
            master,
            () => new RobertaForSequenceClassification(config),
            target.DType,
            target.Device
        );
        var parameters = master.named_parameters().ToList();
        var peak = options.PeakLearningRate(start.IsScratch);
        using var optimizer = AdamWGroups.Create(parameters, peak, options.WeightDecay);
        if (resume)
        {
            CheckpointFolder.Open(resumeDirectory).LoadInto(master);
            optimizer.load_state_dict(Path.Combine(resumeDirectory, "optimizer.bin"));
            weights.Refresh();
        }

        var windows = options.WindowPolicy();
        log.Line(
            $"tokenising {data.Train.Count} training and {data.Dev.Count} dev notes ({windows.Selection} windows)"
        );
        var train = TrainingBatches.Encode(tokenizer, data.Train, windows);
        var dev = TrainingBatches.Encode(tokenizer, data.Dev, windows);
        var microBatches = (train.Count + options.BatchSize - 1) / options.BatchSize;
        var stepsPerEpoch = (microBatches + options.GradientAccumulation - 1) / options.GradientAccumulation;
        var schedule = new LinearWarmupSchedule(
            peak,
            (int)Math.Round(options.WarmupRatio * stepsPerEpoch * options.Epochs),
            stepsPerEpoch * options.Epochs
        );
        using var classWeights = TrainingSetup.ClassWeights(data.Train, options.ClassWeighting, target.Device);

        var clock = Stopwatch.StartNew();
        var wall = Stopwatch.StartNew();
        var startedStep = state.Step;
        var startedTokens = state.Tokens;
        try
        {
            for (var epoch = state.Epoch; epoch < options.Epochs; epoch++)
            {
                var order = TrainingBatches.EpochOrder(train.Count, options.Seed, epoch);
                weights.Working.train();
                var microBatch = state.MicroBatch;
                while (microBatch < microBatches)
                {
                    var group = Math.Min(options.GradientAccumulation, microBatches - microBatch);
                    torch.manual_seed(options.Seed * 1_000_003 + state.Step);
                    optimizer.zero_grad();
                    double loss = 0;
                    long tokens = 0;
                    for (var m = microBatch; m < microBatch + group; m++)
                    {
                        using var scope = NewDisposeScope();
                        var batch = order
                            .Skip(m * options.BatchSize)
                            .Take(options.BatchSize)
                            .Select(i => train[i])
                            .ToList();
                        var (ids, mask, labels, notes) = TrainingBatches.ToTensors(
                            batch,
                            config.PadTokenId,
                            target.Device
                        );
                        var logits = weights.Working.call(ids, mask).to(ScalarType.Float32);
                        var batchLoss = NoteLoss(TrainingBatches.NoteLogOdds(logits, notes), labels, classWeights)
                            .div(group);
                        batchLoss.backward();
                        loss += batchLoss.item<float>();
                        tokens += batch.Sum(e => e.Tokens);
                    }
                    weights.GradientsToMaster();
                    nn.utils.clip_grad_norm_(parameters.Select(p => p.parameter), options.MaxGradNorm);
                    var lr = schedule.At(state.Step);
                    AdamWGroups.SetLearningRate(optimizer, lr);
                    optimizer.step();
                    optimizer.zero_grad();
                    weights.Refresh();
                    microBatch += group;
                    state = state with
                    {
                        Step = state.Step + 1,
                        MicroBatch = microBatch,
                        EpochLossSum = state.EpochLossSum + loss,
                        EpochLossCount = state.EpochLossCount + 1,
                        Tokens = state.Tokens + tokens,
                    };
                    var seconds = wall.Elapsed.TotalSeconds;
                    var stepsDone = state.Step - startedStep;
                    var progress = new TrainingProgress(
                        state.Step,
                        schedule.TotalSteps,
                        epoch,
                        options.Epochs,
                        loss,
                        lr,
                        (state.Tokens - startedTokens) / Math.Max(seconds, 1e-9),
                        TimeSpan.FromSeconds(state.ElapsedSeconds + clock.Elapsed.TotalSeconds),
                        TimeSpan.FromSeconds(seconds / stepsDone * (schedule.TotalSteps - state.Step))
                    );
                    log.Step(progress);
                    onStep?.Invoke(progress);
                    if (cancellationToken.IsCancellationRequested)
                        break;
                    if (state.Step % options.CheckpointEverySteps == 0)
                        state = SaveResume(state, master, optimizer, outDirectory, clock);
                }
                if (cancellationToken.IsCancellationRequested)
                    break;

                var (auprc, auroc) = EvaluateDev(weights.Working, dev, options.BatchSize, config.PadTokenId);
                var trainLoss = state.EpochLossSum / Math.Max(1, state.EpochLossCount);
                var improved = auprc > state.BestAuprc || state.BestEpoch < 0;
                if (improved)
                    ResumeCheckpoint.SaveBest(outDirectory, master);
                state = state with
                {
                    Epoch = epoch + 1,
                    MicroBatch = 0,
                    EpochLossSum = 0,
                    EpochLossCount = 0,
                    BestAuprc = improved ? auprc : state.BestAuprc,
                    BestEpoch = improved ? epoch : state.BestEpoch,
                    EpochsWithoutImprovement = improved ? 0 : state.EpochsWithoutImprovement + 1,
                    History = [.. state.History, new EpochResult(epoch + 1, trainLoss, auprc, auroc)],
                };
                log.Line(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"epoch {epoch + 1}: train loss {trainLoss:F4}, dev AUPRC {auprc:F4}, "
                            + $"dev AUROC {auroc:F4}{(improved ? " (best so far, kept)" : "")}"
                    )
                );
                if (state.EpochsWithoutImprovement >= options.Patience)
                {
                    log.Line($"early stopping: no better dev AUPRC for {options.Patience} epoch(s)");
                    state = state with { Epoch = options.Epochs };
                }
                state = SaveResume(state, master, optimizer, outDirectory, clock);
                if (state.Epoch >= options.Epochs)
                    break;
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            state = SaveResume(state, master, optimizer, outDirectory, clock);
            log.Line(
                $"training failed; a resumable checkpoint of step {state.Step} "
                    + $"is in {resumeDirectory} (rerun with --resume)"
            );
            throw;
        }
        if (cancellationToken.IsCancellationRequested)
        {
            state = SaveResume(state, master, optimizer, outDirectory, clock);
            log.Line($"interrupted at step {state.Step}; continue with the same command and --resume");
            cancellationToken.ThrowIfCancellationRequested();
        }

        CheckpointFolder.Open(ResumeCheckpoint.BestDirectory(outDirectory)).LoadInto(master);
        CheckpointFolder.Save(master, outDirectory, metadata: new Dictionary<string, string> { ["format"] = "pt" });
        ResumeCheckpoint.Delete(outDirectory);
        var total = state.ElapsedSeconds + clock.Elapsed.TotalSeconds;
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
    /// Writes weights, optimizer state and position to OUT/resume/, folding the time since the last save into the state
    /// it returns.
    /// </summary>
    private static ResumeState SaveResume(
        ResumeState state,
        RobertaForSequenceClassification master,
        OptimizerHelper optimizer,
        string outDirectory,
        Stopwatch clock
    )
    {
        state = state with { ElapsedSeconds = state.ElapsedSeconds + clock.Elapsed.TotalSeconds };
        ResumeCheckpoint.Save(outDirectory, state, master, optimizer);
        clock.Restart();
        return state;
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
