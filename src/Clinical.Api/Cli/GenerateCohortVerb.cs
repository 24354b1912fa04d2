using System.CommandLine;
using System.Globalization;
using Clinical.Api.Errors;
using Clinical.Api.Features.Cohorts;
using Clinical.Synthetic;
using Mediator;

namespace Clinical.Api.Cli;

/// <summary>
/// `generate-cohort`: synthetic patients with known HF status, for demos, tests, training and benchmarks.
/// </summary>
internal static class GenerateCohortVerb
{
    public static Command Create()
    {
        var patients = new Option<int>("--patients") { Description = "Number of adult patients.", Required = true };
        var seed = new Option<long>("--seed")
        {
            Description = "Random seed; the same seed and options give byte-identical output.",
            DefaultValueFactory = _ => 1,
        };
        var output = new Option<string>("--out") { Description = "Empty or new folder to write to.", Required = true };
        var format = new Option<string>("--format")
        {
            Description = "bundles (one collection Bundle per patient) or ndjson (Bulk Data layout).",
            DefaultValueFactory = _ => "bundles",
        };
        format.AcceptOnlyFromAmong("bundles", "ndjson");
        var asOf = new Option<string?>("--as-of")
        {
            Description = "Date the records end (YYYY-MM-DD). Default 2026-06-30.",
        };
        var languages = new Option<string>("--languages")
        {
            Description = "Note languages among es,ca,eu,gl.",
            DefaultValueFactory = _ => "es,ca,eu,gl",
        };
        var hfShare = new Option<double?>("--hf-share")
        {
            Description = "Share of patients with HF (diagnosed or not). Default: Spanish epidemiology (~2 %).",
        };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON instead of text." };
        var command = new Command(
            "generate-cohort",
            "Generate a synthetic Spanish primary-care cohort as FHIR, with truth.ndjson and a summary."
        )
        {
            patients,
            seed,
            output,
            format,
            asOf,
            languages,
            hfShare,
            json,
        };
        command.SetAction(
            async (result, cancellationToken) =>
            {
                DateOnly? end = null;
                if (result.GetValue(asOf) is { } text)
                {
                    if (
                        !DateOnly.TryParseExact(
                            text,
                            "yyyy-MM-dd",
                            CultureInfo.InvariantCulture,
                            DateTimeStyles.None,
                            out var parsed
                        )
                    )
                    {
                        await Console.Error.WriteLineAsync($"error: --as-of '{text}' is not a date (YYYY-MM-DD).");
                        return Verbs.InvalidInput;
                    }
                    end = parsed;
                }
                try
                {
                    var options = new CohortOptions(
                        result.GetValue(patients),
                        result.GetValue(seed),
                        result.GetValue(format) == "ndjson" ? CohortFormat.Ndjson : CohortFormat.Bundles,
                        end,
                        NoteLanguageCodes.ParseList(result.GetValue(languages)!),
                        result.GetValue(hfShare)
                    );
                    using var host = await VerbHost.StartAsync([], cancellationToken, withDatabase: false);
                    await using var scope = host.Services.CreateAsyncScope();
                    var summary = await scope
                        .ServiceProvider.GetRequiredService<IMediator>()
                        .Send(new GenerateCohort(options, result.GetValue(output)!), cancellationToken);
                    await Console.Out.WriteLineAsync(result.GetValue(json) ? summary.ToJson() : summary.ToText());
                    return Verbs.Success;
                }
                catch (Exception ex)
                    when (ex is ArgumentException or FormatException or FluentValidation.ValidationException)
                {
                    var message = ex switch
                    {
                        FluentValidation.ValidationException invalid => OperationOutcomeExceptionHandler
                            .Translate(invalid)
                            .Issues[0]
                            .Diagnostics,
                        ArgumentException argument => argument.Message.Split(" (Parameter", 2)[0],
                        _ => ex.Message,
                    };
                    await Console.Error.WriteLineAsync($"error: {message}");
                    return Verbs.InvalidInput;
                }
            }
        );
        return command;
    }
}
