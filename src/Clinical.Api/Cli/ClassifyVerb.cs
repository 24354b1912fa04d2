using System.CommandLine;
using Clinical.Api.Features.Training;
using Mediator;

namespace Clinical.Api.Cli;

/// <summary>
/// `classify`: one {"id", "probability"} line per note of a JSON Lines file, calibrated, streamed in chunks for any
/// size.
/// </summary>
internal static class ClassifyVerb
{
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "Classifier folder (Hugging Face format with model-card.json).",
            Required = true,
        };
        var input = new Option<string>("--input")
        {
            Description = "JSON Lines with {\"id\", \"text\"} per line (other fields ignored).",
            Required = true,
        };
        var output = new Option<string>("--output")
        {
            Description = "JSON Lines file to write: {\"id\", \"probability\"} per note.",
            Required = true,
        };
        var device = CommonOptions.Device();
        var modelFor = CommonOptions.NoteModelFor();
        var command = new Command(
            "classify",
            "Score notes with the heart-failure note classifier (calibrated probabilities)."
        )
        {
            model,
            input,
            output,
            device,
            modelFor,
        };
        command.SetAction(
            (result, cancellationToken) =>
                VerbHost.SendAsync(
                    async (mediator, ct) =>
                    {
                        var count = await mediator.Send(
                            new ClassifyNotes(
                                result.GetValue(model)!,
                                result.GetValue(input)!,
                                result.GetValue(output)!,
                                result.GetValue(device)!,
                                CommonOptions.NoteModelsByLanguage(result.GetValue(modelFor))
                            ),
                            ct
                        );
                        await result.InvocationConfiguration.Error.WriteLineAsync(
                            $"classified {count} notes into {result.GetValue(output)}"
                        );
                    },
                    cancellationToken
                )
        );
        return command;
    }
}
