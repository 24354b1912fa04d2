using Clinical.Api.Errors;
using Clinical.Fhir.Parsing;
using Clinical.Models.Runtime;
using Clinical.Models.Text;
using Clinical.Models.Training;

namespace Clinical.Api.Cli;

/// <summary>
/// What finetune, evaluate and classify share: a verb host, and bad input as one stderr line with exit 2.
/// </summary>
internal static class TrainingVerbs
{
    public static async Task<int> RunAsync(
        Func<IServiceProvider, CancellationToken, Task> action,
        CancellationToken cancellationToken
    )
    {
        try
        {
            using var host = await VerbHost.StartAsync([], cancellationToken, withDatabase: false);
            await using var scope = host.Services.CreateAsyncScope();
            await action(scope.ServiceProvider, cancellationToken);
            return Verbs.Success;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync(
                "interrupted: a resumable checkpoint was written where training had one (rerun with --resume)."
            );
            return Verbs.Failure;
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            await Console.Error.WriteLineAsync($"error: {message}");
            return Verbs.InvalidInput;
        }
    }

    private static string? Describe(Exception ex) =>
        ex switch
        {
            FluentValidation.ValidationException invalid => OperationOutcomeExceptionHandler
                .Translate(invalid)
                .Issues[0]
                .Diagnostics,
            FhirInputException fhir => fhir.Issues.Count > 0 ? fhir.Issues[0].Describe() : fhir.Message,
            ArgumentException argument => argument.Message.Split(" (Parameter", 2)[0],
            LabelledNotesException
            or CheckpointException
            or TokenizerFilesException
            or InvalidDataException
            or FileNotFoundException
            or DirectoryNotFoundException
            or System.Text.Json.JsonException => ex.Message,
            _ => null,
        };
}
