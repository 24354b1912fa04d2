using System.CommandLine;
using System.Text.Json;
using Clinical.Models.Training;
using Mediator;

namespace Clinical.Api.Cli;

/// <summary>
/// The options `finetune` and `pretrain` share, declared once with the verb's defaults; each verb words only what
/// differs between them (what --base continues, what a from-scratch run trains its tokenizer on, what a batch and a
/// sequence hold, the default learning rates).
/// </summary>
internal sealed class TrainingOptions
{
    /// <summary>The verb-specific parts of the shared options' descriptions.</summary>
    public sealed record Wording(
        string Base,
        string FromScratch,
        string LearningRate,
        string BatchSize,
        string MaxLength,
        string Seed,
        string LogEvery
    );

    private TrainingOptions(ITrainingHyperparameters defaults, Wording wording)
    {
        Base = new("--base") { Description = wording.Base };
        FromScratch = new("--from-scratch") { Description = wording.FromScratch };
        Epochs = new("--epochs") { Description = "Epochs.", DefaultValueFactory = _ => defaults.Epochs };
        LearningRate = new("--lr") { Description = wording.LearningRate };
        BatchSize = new("--batch-size")
        {
            Description = wording.BatchSize,
            DefaultValueFactory = _ => defaults.BatchSize,
        };
        GradientAccumulation = new("--gradient-accumulation")
        {
            Description = "Micro-batches per optimizer step.",
            DefaultValueFactory = _ => defaults.GradientAccumulation,
        };
        MaxLength = new("--max-length")
        {
            Description = wording.MaxLength,
            DefaultValueFactory = _ => defaults.MaxLength,
        };
        Seed = new("--seed") { Description = wording.Seed, DefaultValueFactory = _ => defaults.Seed };
        Device = CommonOptions.Device("bf16 on GPU with fp32 master weights");
        Resume = new("--resume")
        {
            Description = "Continue an interrupted run in --out from its checkpoint (same command otherwise).",
        };
        LogEvery = new("--log-every")
        {
            Description = wording.LogEvery,
            DefaultValueFactory = _ => defaults.LogEverySteps,
        };
    }

    public Option<string?> Base { get; }
    public Option<string?> FromScratch { get; }
    public Option<int> Epochs { get; }
    public Option<double?> LearningRate { get; }
    public Option<int> BatchSize { get; }
    public Option<int> GradientAccumulation { get; }
    public Option<int> MaxLength { get; }
    public Option<long> Seed { get; }
    public Option<string> Device { get; }
    public Option<bool> Resume { get; }
    public Option<int> LogEvery { get; }

    public static TrainingOptions Create(ITrainingHyperparameters defaults, Wording wording) => new(defaults, wording);

    /// <summary>Adds the start and the schedule: --base, --from-scratch, --epochs to --max-length.</summary>
    public void AddStartAndSchedule(Command command)
    {
        command.Options.Add(Base);
        command.Options.Add(FromScratch);
        command.Options.Add(Epochs);
        command.Options.Add(LearningRate);
        command.Options.Add(BatchSize);
        command.Options.Add(GradientAccumulation);
        command.Options.Add(MaxLength);
    }

    /// <summary>Adds how the run is carried out: --seed, --device, --resume.</summary>
    public void AddRun(Command command)
    {
        command.Options.Add(Seed);
        command.Options.Add(Device);
        command.Options.Add(Resume);
    }

    /// <summary>The verb's action: sends the request read from its options and writes the result as JSON.</summary>
    public static void SetAction<TResult>(Command command, Func<ParseResult, IRequest<TResult>> request) =>
        command.SetAction(
            (result, cancellationToken) =>
                VerbHost.SendAsync(
                    async (mediator, ct) =>
                    {
                        var outcome = await mediator.Send(request(result), ct);
                        await result.InvocationConfiguration.Output.WriteLineAsync(
                            JsonSerializer.Serialize(outcome, ModelCard.Json)
                        );
                    },
                    cancellationToken
                )
        );
}
