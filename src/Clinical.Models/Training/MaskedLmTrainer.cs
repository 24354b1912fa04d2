using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Clinical.Models.Training;

/// <summary>What a finished pretraining run reports.</summary>
public sealed record PretrainOutcome(
    [property: JsonPropertyName("history")] IReadOnlyList<PretrainEpoch> History,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("fit_sequences")] int FitSequences,
    [property: JsonPropertyName("held_out_sequences")] int HeldOutSequences,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("tokens_per_second")] double TokensPerSecond,
    [property: JsonPropertyName("device")] string Device
);

/// <summary>
/// Masked-language-model pretraining of a RobertaForMaskedLM (Liu et al., 2019): from scratch (a byte-level BPE
/// tokenizer is trained on the texts first) or continuing a pretrained Hugging Face folder. Packed sequences, dynamic
/// 80/10/10 masking of 15 % of tokens, AdamW with warm-up and linear decay, gradient clipping and accumulation, fp32
/// master weights under bf16 on GPU; held-out masked-token loss and accuracy after each epoch. Seeded and resumable as
/// the classifier trainer is: data order, masks and dropout are drawn from (seed, epoch, step), and OUT/resume/ holds
/// weights, optimizer state and position. The result is a Hugging Face folder that <c>finetune --base</c> accepts.
/// </summary>
public sealed class MaskedLmTrainer(ComputeTarget target, TrainingLog log)
{
    public const string CardFileName = "pretraining.json";

    public PretrainOutcome Train(
        IReadOnlyList<string> texts,
        string description,
        ModelStart start,
        PretrainOptions options,
        string outDirectory,
        bool resume,
        Action<TrainingProgress>? onStep = null,
        CancellationToken cancellationToken = default
    )
    {
        options.Validate();
        if (texts.Count == 0)
            throw new ArgumentException("The pretraining corpus holds no text.");
        ResumeCheckpoint.Recover(outDirectory);
        var fingerprint = Fingerprint(texts, start, options);
        if (resume && !ResumeState.Exists(outDirectory))
            throw new ArgumentException(
                $"--resume: {outDirectory} holds no interrupted run ({ResumeState.StatePath(outDirectory)} is missing)."
            );
        if (!resume && ResumeState.Exists(outDirectory))
            throw new ArgumentException(
                $"{outDirectory} holds an interrupted run; pass --resume to continue it or choose another --out."
            );
        var state = resume ? ResumeState.Load(outDirectory) : ResumeState.Start(fingerprint);
        if (state.RunFingerprint != fingerprint)
            throw new ArgumentException(
                $"--resume: the texts or options differ from the interrupted run in {outDirectory}; "
                    + "resume with the same command."
            );
        Directory.CreateDirectory(outDirectory);
        torch.manual_seed(options.Seed);

        var (fitTexts, heldOutTexts) = PretrainingCorpus.Split(texts, options.HeldOutShare);
        var tokenizer = PrepareTokenizer(fitTexts, start, options, outDirectory, resume);
        var config = PrepareConfig(start, options, tokenizer);
        File.WriteAllText(Path.Combine(outDirectory, "config.json"), config.ToJson());
        log.Line($"packing {fitTexts.Count} texts for training and {heldOutTexts.Count} held out");
        var fit = PretrainingCorpus.Pack(tokenizer, fitTexts, options.MaxLength);
        var heldOut = PretrainingCorpus.Pack(tokenizer, heldOutTexts, options.MaxLength);
        if (fit.Count == 0)
            throw new ArgumentException("The pretraining texts give no tokens to train on.");
        var maskId = SpecialTokens.Require(tokenizer.Special.Mask, "mask");

        using var master = CreateModel(config, start, options);
        using var weights = new MasterWeights<RobertaForMaskedLM>(
            master,
            () => new RobertaForMaskedLM(config),
            target.DType,
            target.Device
        );
        var parameters = master.named_parameters().ToList();
        var peak = options.PeakLearningRate(start.IsScratch);
        using var optimizer = AdamWGroups.Create(parameters, peak, options.WeightDecay);
        if (resume)
        {
            CheckpointFolder.Open(ResumeCheckpoint.Directory(outDirectory)).LoadInto(master);
            optimizer.load_state_dict(Path.Combine(ResumeCheckpoint.Directory(outDirectory), "optimizer.bin"));
            weights.Refresh();
        }
        var microBatches = (fit.Count + options.BatchSize - 1) / options.BatchSize;
        var stepsPerEpoch = (microBatches + options.GradientAccumulation - 1) / options.GradientAccumulation;
        var schedule = new LinearWarmupSchedule(
            peak,
            (int)Math.Round(options.WarmupRatio * stepsPerEpoch * options.Epochs),
            stepsPerEpoch * options.Epochs
        );
        log.Line(
            $"pretraining {config.NumHiddenLayers}x{config.HiddenSize} on {fit.Count} sequences of "
                + $"{options.MaxLength} tokens, {schedule.TotalSteps} steps"
        );

        var clock = Stopwatch.StartNew();
        var wall = Stopwatch.StartNew();
        var (startedStep, startedTokens) = (state.Step, state.Tokens);
        try
        {
            for (var epoch = state.Epoch; epoch < options.Epochs; epoch++)
            {
                var order = TrainingBatches.EpochOrder(fit.Count, options.Seed, epoch);
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
                        var indices = order.Skip(m * options.BatchSize).Take(options.BatchSize).ToList();
                        var masked = indices
                            .Select(i =>
                                MaskedTokens.Mask(
                                    fit[i],
                                    options.MaskProbability,
                                    options.WholeWordMasking,
                                    maskId,
                                    config.VocabSize,
                                    MaskedTokens.For(options.Seed, epoch, i)
                                )
                            )
                            .ToList();
                        tokens += masked.Sum(s => s.Inputs.Length);
                        var batchLoss = MaskedLoss(weights.Working, masked, config.PadTokenId)?.Loss.div(group);
                        if (batchLoss is null)
                            continue;
                        batchLoss.backward();
                        loss += batchLoss.item<float>();
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
                    var progress = new TrainingProgress(
                        state.Step,
                        schedule.TotalSteps,
                        epoch,
                        options.Epochs,
                        loss,
                        lr,
                        (state.Tokens - startedTokens) / Math.Max(seconds, 1e-9),
                        TimeSpan.FromSeconds(state.ElapsedSeconds + clock.Elapsed.TotalSeconds),
                        TimeSpan.FromSeconds(seconds / (state.Step - startedStep) * (schedule.TotalSteps - state.Step))
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

                var (heldOutLoss, accuracy) = EvaluateHeldOut(weights.Working, heldOut, options, maskId, config);
                var trainLoss = state.EpochLossSum / Math.Max(1, state.EpochLossCount);
                state = state with
                {
                    Epoch = epoch + 1,
                    MicroBatch = 0,
                    EpochLossSum = 0,
                    EpochLossCount = 0,
                    PretrainHistory =
                    [
                        .. state.PretrainHistory ?? [],
                        new PretrainEpoch(epoch + 1, trainLoss, heldOutLoss, accuracy),
                    ],
                };
                log.Line(
                    string.Create(
                        System.Globalization.CultureInfo.InvariantCulture,
                        $"epoch {epoch + 1}: train loss {trainLoss:F4}, held-out loss {heldOutLoss:F4}, "
                            + $"held-out masked-token accuracy {accuracy:F4}"
                    )
                );
                state = SaveResume(state, master, optimizer, outDirectory, clock);
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            state = SaveResume(state, master, optimizer, outDirectory, clock);
            log.Line(
                $"pretraining failed; a resumable checkpoint of step {state.Step} is in "
                    + $"{ResumeCheckpoint.Directory(outDirectory)} (rerun with --resume)"
            );
            throw;
        }
        if (cancellationToken.IsCancellationRequested)
        {
            state = SaveResume(state, master, optimizer, outDirectory, clock);
            log.Line($"interrupted at step {state.Step}; continue with the same command and --resume");
            cancellationToken.ThrowIfCancellationRequested();
        }

        CheckpointFolder.Save(master, outDirectory, metadata: new Dictionary<string, string> { ["format"] = "pt" });
        ResumeCheckpoint.Delete(outDirectory);
        var total = state.ElapsedSeconds + clock.Elapsed.TotalSeconds;
        var outcome = new PretrainOutcome(
            state.PretrainHistory ?? [],
            state.Step,
            fit.Count,
            heldOut.Count,
            state.Tokens,
            total,
            state.Tokens / Math.Max(total, 1e-9),
            target.ToString()
        );
        WriteCard(outDirectory, description, texts, fitTexts.Count, start, options, outcome);
        return outcome;
    }

    /// <summary>
    /// Cross-entropy over the chosen tokens of a batch (the head runs on them alone), and how many were right; null
    /// when the draw chose no token.
    /// </summary>
    private (Tensor Loss, long Correct, long Count)? MaskedLoss(
        RobertaForMaskedLM model,
        List<MaskedSequence> batch,
        int pad
    )
    {
        var length = batch.Max(s => s.Inputs.Length);
        var ids = new long[batch.Count * length];
        var mask = new long[batch.Count * length];
        var positions = new List<long>();
        var labels = new List<long>();
        for (var b = 0; b < batch.Count; b++)
        {
            for (var t = 0; t < length; t++)
            {
                var real = t < batch[b].Inputs.Length;
                ids[b * length + t] = real ? batch[b].Inputs[t] : pad;
                mask[b * length + t] = real ? 1 : 0;
                if (real && batch[b].Labels[t] != MaskedTokens.Ignore)
                {
                    positions.Add(b * length + t);
                    labels.Add(batch[b].Labels[t]);
                }
            }
        }
        if (positions.Count == 0)
            return null;
        var scores = model
            .PredictAt(
                tensor(ids, [batch.Count, length], device: target.Device),
                tensor(mask, [batch.Count, length], device: target.Device),
                tensor(positions.ToArray(), device: target.Device)
            )
            .to(ScalarType.Float32); // (N, V)
        var expected = tensor(labels.ToArray(), device: target.Device);
        var correct = scores.argmax(1).eq(expected).sum().item<long>();
        return (nn.functional.cross_entropy(scores, expected), correct, positions.Count);
    }

    /// <summary>Held-out masked-token loss (per token) and accuracy under a fixed mask, the same each epoch.</summary>
    private (double Loss, double Accuracy) EvaluateHeldOut(
        RobertaForMaskedLM model,
        List<PackedSequence> heldOut,
        PretrainOptions options,
        int maskId,
        RobertaConfig config
    )
    {
        if (heldOut.Count == 0)
            return (double.NaN, double.NaN);
        log.Line($"measuring {heldOut.Count} held-out sequences");
        model.eval();
        double lossSum = 0;
        long correct = 0,
            count = 0;
        using (inference_mode())
        {
            for (var start = 0; start < heldOut.Count; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var masked = Enumerable
                    .Range(start, Math.Min(options.BatchSize, heldOut.Count - start))
                    .Select(i =>
                        MaskedTokens.Mask(
                            heldOut[i],
                            options.MaskProbability,
                            options.WholeWordMasking,
                            maskId,
                            config.VocabSize,
                            MaskedTokens.For(options.Seed, -1, i)
                        )
                    )
                    .ToList();
                if (MaskedLoss(model, masked, config.PadTokenId) is not { } result)
                    continue;
                lossSum += result.Loss.item<float>() * result.Count;
                correct += result.Correct;
                count += result.Count;
            }
        }
        model.train();
        return count == 0 ? (double.NaN, double.NaN) : (lossSum / count, correct / (double)count);
    }

    private NoteTokenizer PrepareTokenizer(
        IReadOnlyList<string> texts,
        ModelStart start,
        PretrainOptions options,
        string outDirectory,
        bool resume
    )
    {
        if (start.BaseDirectory is { } baseDirectory)
        {
            TrainingSetup.CopyTokenizerFiles(baseDirectory, outDirectory);
            return NoteTokenizer.Load(baseDirectory);
        }
        if (!resume)
        {
            log.Line($"training a byte-level BPE tokenizer of {options.VocabularySize} entries");
            var vocabulary = ByteLevelBpeTrainer.Train(texts.Take(options.TokenizerDocuments), options.VocabularySize);
            ByteLevelBpeTrainer.Save(vocabulary, outDirectory, options.MaxLength);
        }
        return NoteTokenizer.Load(outDirectory);
    }

    private static RobertaConfig PrepareConfig(ModelStart start, PretrainOptions options, NoteTokenizer tokenizer)
    {
        var config = start.BaseDirectory is { } baseDirectory
            ? RobertaConfig.Load(Path.Combine(baseDirectory, "config.json"))
            : ModelSizes.Resolve(start.FromScratch!) with
            {
                VocabSize = tokenizer.VocabularySize,
                PadTokenId = SpecialTokens.Require(tokenizer.Special.Pad, "padding"),
                BosTokenId = tokenizer.Special.Bos,
                EosTokenId = tokenizer.Special.Eos,
            };
        if (start.IsScratch)
        {
            // Positions past the training length would stay untrained, as in fine-tuning from scratch.
            config = config with
            {
                MaxPositionEmbeddings = Math.Min(
                    config.MaxPositionEmbeddings,
                    options.MaxLength + config.PadTokenId + 1
                ),
            };
        }
        if (options.MaxLength > config.MaxSequenceLength)
            throw new ArgumentException(
                $"--max-length {options.MaxLength} exceeds the model's {config.MaxSequenceLength} positions."
            );
        return config with { Architectures = ["RobertaForMaskedLM"] };
    }

    private static RobertaForMaskedLM CreateModel(RobertaConfig config, ModelStart start, PretrainOptions options)
    {
        var model = start.BaseDirectory is { } baseDirectory
            ? RobertaCheckpoint.LoadForPretraining(baseDirectory, options.Seed)
            : RobertaInitialisation.RandomMaskedLM(config, options.Seed);
        model.to(ScalarType.Float32);
        model.train();
        return model;
    }

    private static string Fingerprint(IReadOnlyList<string> texts, ModelStart start, PretrainOptions options) =>
        LabelledNotes.Fingerprint(
            texts
                .Select((t, i) => new LabelledNote(i.ToString(System.Globalization.CultureInfo.InvariantCulture), t, 0))
                .Append(
                    new LabelledNote(
                        JsonSerializer.Serialize(options with { LogEverySteps = 0, CheckpointEverySteps = 0 })
                            + "|"
                            + start.Describe(),
                        "",
                        0
                    )
                )
        );

    private static ResumeState SaveResume(
        ResumeState state,
        RobertaForMaskedLM master,
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

    private static void WriteCard(
        string outDirectory,
        string description,
        IReadOnlyList<string> texts,
        int fitTexts,
        ModelStart start,
        PretrainOptions options,
        PretrainOutcome outcome
    )
    {
        var card = new Dictionary<string, object?>
        {
            ["model"] = "RobertaForMaskedLM (masked-language-model pretraining)",
            ["base_model"] = start.Describe(),
            ["data"] = description,
            ["texts"] = texts.Count,
            ["fit_texts"] = fitTexts,
            ["held_out_texts"] = texts.Count - fitTexts,
            ["hyperparameters"] = options,
            ["peak_learning_rate"] = options.PeakLearningRate(start.IsScratch),
            ["outcome"] = outcome,
            ["date"] = DateTimeOffset.UtcNow,
            ["product_version"] = ModelCard.ProductVersionOf(),
        };
        File.WriteAllText(Path.Combine(outDirectory, CardFileName), JsonSerializer.Serialize(card, ModelCard.Json));
    }
}
