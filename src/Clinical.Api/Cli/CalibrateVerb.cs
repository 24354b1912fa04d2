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
        var dev = CommonOptions.LabelledNotes("--dev", "Labelled notes to calibrate on");
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
        var device = CommonOptions.Device();
        var gapDays = CommonOptions.GapDays();
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
                VerbHost.SendAsync(
                    async (mediator, ct) =>
                    {
                        var card = await mediator.Send(
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
                        await result.InvocationConfiguration.Output.WriteLineAsync(
                            card["calibration"]!.ToJsonString(ModelCard.Json)
                        );
                    },
                    cancellationToken
                )
        );
        return command;
    }
}
