using System.CommandLine;
using Clinical.Api.Features.Cohorts;
using Clinical.Synthetic;
using Mediator;

namespace Clinical.Api.Cli;

/// <summary>
/// `train-tabular`: trains the structured-data model and the stacked combiner on a cohort; writes model.zip,
/// card.json and stacking.json.
/// </summary>
internal static class TrainTabularVerb
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Bulk Data NDJSON folder to train on." };
        var truth = new Option<string?>("--truth")
        {
            Description = "truth.ndjson of a generated cohort; without it, weak labels from coded HF diagnoses.",
        };
        var generate = new Option<int?>("--generate")
        {
            Description = "Train on a cohort of N patients generated in memory instead of --data.",
        };
        var seed = new Option<long>("--seed")
        {
            Description = "Seed of the generated cohort.",
            DefaultValueFactory = _ => 1,
        };
        var hfShare = new Option<double>("--hf-share")
        {
            Description = "HF share of the generated cohort.",
            DefaultValueFactory = _ => 0.2,
        };
        var asOf = CommonOptions.AsOf("Date the cohort's records end. Default 2026-06-30.");
        var output = new Option<string>("--out") { Description = "Model folder to write.", Required = true };
        var noteModel = CommonOptions.NoteModel();
        var command = new Command(
            "train-tabular",
            "Train the tabular HF model (ML.NET FastTree) and fit the stacked, calibrated combination on a dev split."
        )
        {
            data,
            truth,
            generate,
            seed,
            hfShare,
            asOf,
            output,
            noteModel,
        };
        command.SetAction(
            (result, cancellationToken) =>
            {
                var end = result.GetValue(asOf) ?? CohortOptions.DefaultAsOf;
                var generated = result.GetValue(generate) is { } patients
                    ? new CohortOptions(
                        patients,
                        result.GetValue(seed),
                        CohortFormat.Ndjson,
                        end,
                        HfShare: result.GetValue(hfShare)
                    )
                    : null;
                var request = new TrainTabular(
                    result.GetValue(data),
                    result.GetValue(truth),
                    generated,
                    end,
                    result.GetValue(output)!,
                    result.GetValue(noteModel),
                    "clinical " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1))
                );
                return VerbHost.SendAsync(
                    async (mediator, ct) =>
                        await result.InvocationConfiguration.Output.WriteAsync(
                            (await mediator.Send(request, ct)).ToText()
                        ),
                    cancellationToken
                );
            }
        );
        return command;
    }
}
