using System.CommandLine;
using Clinical.Api.Features.Training;
using Clinical.Models.Training;
using Mediator;

namespace Clinical.Api.Cli;

/// <summary>
/// `calibrate`: refit a classifier's temperature and operating threshold on dev data and update its model card.
/// </summary>
internal static class CalibrateVerb
{
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "Classifier folder to recalibrate (its model-card.json is updated).",
            Required = true,
        };
        var dev = new Option<string>("--dev")
        {
            Description = "Labelled notes: JSON Lines {id, text, label} or a FHIR folder (weak labels).",
            Required = true,
        };
        var dtype = new Option<string?>("--weights-dtype")
        {
            Description = "Store the weights as fp32 or bf16 before calibrating (bf16 halves the folder).",
        };
        dtype.AcceptOnlyFromAmong("fp32", "bf16");
        var sensitivity = new Option<double>("--target-sensitivity")
        {
            Description = "Sensitivity the operating threshold is chosen for.",
            DefaultValueFactory = _ => 0.90,
        };
        var device = new Option<string>("--device")
        {
            Description = "auto, cpu or cuda[:N].",
            DefaultValueFactory = _ => "auto",
        };
        var gapDays = new Option<int>("--gap-days")
        {
            Description = "FHIR weak labels: days between the text cut and the HF diagnosis.",
            DefaultValueFactory = _ => WeakLabels.DefaultGapDays,
        };
        var command = new Command(
            "calibrate",
            "Refit the note classifier's temperature and threshold on dev data (e.g. a site's own labelled notes)."
        )
        {
            model,
            dev,
            dtype,
            sensitivity,
            device,
            gapDays,
        };
        command.SetAction(
            (result, cancellationToken) =>
                TrainingVerbs.RunAsync(
                    async (services, ct) =>
                    {
                        var card = await services
                            .GetRequiredService<IMediator>()
                            .Send(
                                new CalibrateClassifier(
                                    result.GetValue(model)!,
                                    result.GetValue(dev)!,
                                    result.GetValue(dtype),
                                    result.GetValue(sensitivity),
                                    result.GetValue(device)!,
                                    result.GetValue(gapDays)
                                ),
                                ct
                            );
                        await Console.Out.WriteLineAsync(card["calibration"]!.ToJsonString(ModelCard.Json));
                    },
                    cancellationToken
                )
        );
        return command;
    }
}
