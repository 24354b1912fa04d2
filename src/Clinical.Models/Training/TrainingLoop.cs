using System.Diagnostics;
using Clinical.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Clinical.Models.Training;

/// <summary>
/// The loop both trainers run, as transformers' Trainer does: AdamW with decay on weights only, linear warm-up then
/// linear decay, gradient accumulation over micro-batches, clipping, fp32 master weights
/// (<see cref="MasterWeights{T}"/>), progress lines, and a resumable checkpoint in OUT/resume/ every N steps, at each
/// epoch's end, on failure and on interruption. Deterministic on CPU for a seed: the data order is a seeded shuffle
/// per epoch and libtorch's process-wide generator (dropout) is reseeded from (seed, step) before every optimizer step,
/// so a resumed run ends with the same weights. The trainers supply what differs: a micro-batch's loss and the
/// end-of-epoch measurement.
/// </summary>
internal sealed class TrainingLoop<TModel> : IDisposable
    where TModel : nn.Module
{
    /// <summary>The loss of the examples at <c>indices</c> (undivided; null when they give nothing to learn).</summary>
    public delegate (Tensor? Loss, long Tokens) MicroBatchLoss(TModel model, int epoch, IReadOnlyList<int> indices);

    /// <summary>
    /// Measures the finished epoch on <c>model</c> and returns <c>next</c> (already moved to the next epoch) with its
    /// results; setting its Epoch to the last stops the run (early stopping).
    /// </summary>
    public delegate ResumeState EpochEnd(TModel model, int epoch, double trainLoss, ResumeState next);

    private readonly ComputeTarget _target;
    private readonly TrainingLog _log;
    private readonly TModel _master;
    private readonly MasterWeights<TModel> _weights;
    private readonly List<(string name, Parameter parameter)> _parameters;
    private readonly AdamW _optimizer;
    private readonly ITrainingHyperparameters _options;
    private readonly string _outDirectory;
    private readonly double _peak;

    /// <summary>The optimizer over <paramref name="master"/>; when resuming, weights and state restored.</summary>
    public TrainingLoop(
        ComputeTarget target,
        TrainingLog log,
        TModel master,
        Func<TModel> create,
        ITrainingHyperparameters options,
        bool fromScratch,
        string outDirectory,
        bool resume
    )
    {
        (_target, _log, _master, _options, _outDirectory) = (target, log, master, options, outDirectory);
        _weights = new MasterWeights<TModel>(master, create, target.DType, target.Device);
        _parameters = master.named_parameters().ToList();
        _peak = options.PeakLearningRate(fromScratch);
        _optimizer = AdamWGroups.Create(_parameters, _peak, options.WeightDecay);
        if (resume)
        {
            var resumeDirectory = ResumeCheckpoint.Directory(outDirectory);
            CheckpointFolder.Open(resumeDirectory).LoadInto(master);
            _optimizer.load_state_dict(Path.Combine(resumeDirectory, "optimizer.bin"));
            _weights.Refresh();
        }
    }

    /// <summary>
    /// The state a run starts from: a new one, or the interrupted one in <paramref name="outDirectory"/> when resuming
    /// (which must exist and have the same <paramref name="fingerprint"/>); creates the folder.
    /// </summary>
    /// <param name="inputs">What the fingerprint covers besides the options, for the error ("data", "texts").</param>
    public static ResumeState OpenRun(string outDirectory, bool resume, string fingerprint, string inputs)
    {
        ResumeCheckpoint.Recover(outDirectory);
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
                $"--resume: the {inputs} or options differ from the interrupted run in {outDirectory}; "
                    + "resume with the same command."
            );
        Directory.CreateDirectory(outDirectory);
        return state;
    }

    /// <summary>The schedule over all epochs for <paramref name="examples"/> examples an epoch.</summary>
    public LinearWarmupSchedule Schedule(int examples)
    {
        var stepsPerEpoch =
            (MicroBatches(examples) + _options.GradientAccumulation - 1) / _options.GradientAccumulation;
        return new LinearWarmupSchedule(
            _peak,
            (int)Math.Round(_options.WarmupRatio * stepsPerEpoch * _options.Epochs),
            stepsPerEpoch * _options.Epochs
        );
    }

    /// <summary>
    /// Trains from <paramref name="state"/> to the last epoch (or early stopping), then writes the weights to the
    /// output folder (after <paramref name="beforeSave"/>, which may load other weights into the master) and deletes
    /// the checkpoint. On failure or interruption it saves the checkpoint, says how to resume, and rethrows.
    /// </summary>
    /// <returns>The final state, and the run's seconds (interrupted runs included).</returns>
    public (ResumeState State, double Seconds) Run(
        ResumeState state,
        int examples,
        MicroBatchLoss microBatchLoss,
        EpochEnd epochEnd,
        string runName,
        Action<TrainingProgress>? onStep,
        CancellationToken cancellationToken,
        Action<TModel>? beforeSave = null
    )
    {
        var microBatches = MicroBatches(examples);
        var schedule = Schedule(examples);
        var clock = Stopwatch.StartNew();
        var wall = Stopwatch.StartNew();
        var (startedStep, startedTokens) = (state.Step, state.Tokens);
        try
        {
            for (var epoch = state.Epoch; epoch < _options.Epochs; epoch++)
            {
                var order = TrainingBatches.EpochOrder(examples, _options.Seed, epoch);
                _weights.Working.train();
                var microBatch = state.MicroBatch;
                while (microBatch < microBatches)
                {
                    var group = Math.Min(_options.GradientAccumulation, microBatches - microBatch);
                    var (loss, tokens) = Accumulate(state.Step, order, epoch, microBatch, group, microBatchLoss);
                    var lr = schedule.At(state.Step);
                    Step(lr);
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
                        _options.Epochs,
                        loss,
                        lr,
                        (state.Tokens - startedTokens) / Math.Max(seconds, 1e-9),
                        TimeSpan.FromSeconds(state.ElapsedSeconds + clock.Elapsed.TotalSeconds),
                        TimeSpan.FromSeconds(seconds / (state.Step - startedStep) * (schedule.TotalSteps - state.Step))
                    );
                    _log.Step(progress);
                    onStep?.Invoke(progress);
                    if (cancellationToken.IsCancellationRequested)
                        break;
                    if (state.Step % _options.CheckpointEverySteps == 0)
                        state = SaveResume(state, clock);
                }
                if (cancellationToken.IsCancellationRequested)
                    break;

                var trainLoss = state.EpochLossSum / Math.Max(1, state.EpochLossCount);
                var next = state with { Epoch = epoch + 1, MicroBatch = 0, EpochLossSum = 0, EpochLossCount = 0 };
                state = SaveResume(epochEnd(_weights.Working, epoch, trainLoss, next), clock);
                if (state.Epoch >= _options.Epochs)
                    break;
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            state = SaveResume(state, clock);
            _log.Line(
                $"{runName} failed; a resumable checkpoint of step {state.Step} "
                    + $"is in {ResumeCheckpoint.Directory(_outDirectory)} (rerun with --resume)"
            );
            throw;
        }
        if (cancellationToken.IsCancellationRequested)
        {
            state = SaveResume(state, clock);
            _log.Line($"interrupted at step {state.Step}; continue with the same command and --resume");
            cancellationToken.ThrowIfCancellationRequested();
        }

        beforeSave?.Invoke(_master);
        CheckpointFolder.Save(_master, _outDirectory, metadata: new Dictionary<string, string> { ["format"] = "pt" });
        ResumeCheckpoint.Delete(_outDirectory);
        return (state, state.ElapsedSeconds + clock.Elapsed.TotalSeconds);
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _weights.Dispose();
    }

    private int MicroBatches(int examples) => (examples + _options.BatchSize - 1) / _options.BatchSize;

    /// <summary>
    /// Backward over <paramref name="group"/> micro-batches from <paramref name="microBatch"/>, each loss divided by
    /// the group's size so that the summed gradient is the group's mean; dropout is reseeded from the step first.
    /// </summary>
    private (double Loss, long Tokens) Accumulate(
        int step,
        int[] order,
        int epoch,
        int microBatch,
        int group,
        MicroBatchLoss microBatchLoss
    )
    {
        torch.manual_seed(_options.Seed * 1_000_003 + step);
        _optimizer.zero_grad();
        double loss = 0;
        long tokens = 0;
        for (var m = microBatch; m < microBatch + group; m++)
        {
            using var scope = NewDisposeScope();
            var indices = order.Skip(m * _options.BatchSize).Take(_options.BatchSize).ToList();
            var (microLoss, microTokens) = microBatchLoss(_weights.Working, epoch, indices);
            tokens += microTokens;
            if (microLoss is null)
                continue;
            var batchLoss = microLoss.div(group);
            batchLoss.backward();
            loss += batchLoss.item<float>();
        }
        return (loss, tokens);
    }

    private void Step(double learningRate)
    {
        _weights.GradientsToMaster();
        nn.utils.clip_grad_norm_(_parameters.Select(p => p.parameter), _options.MaxGradNorm);
        AdamWGroups.SetLearningRate(_optimizer, learningRate);
        _optimizer.step();
        _optimizer.zero_grad();
        _weights.Refresh();
    }

    /// <summary>Writes the checkpoint, folding the time since the last save into the state it returns.</summary>
    private ResumeState SaveResume(ResumeState state, Stopwatch clock)
    {
        state = state with { ElapsedSeconds = state.ElapsedSeconds + clock.Elapsed.TotalSeconds };
        ResumeCheckpoint.Save(_outDirectory, state, _master, _optimizer);
        clock.Restart();
        return state;
    }
}
