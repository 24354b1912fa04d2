using System.CommandLine;
using System.Globalization;
using Clinical.Api.Features.Cohorts;
using Clinical.Synthetic;
using Mediator;

namespace Clinical.Api.Cli;

/// <summary>
/// `evaluate-cohort`: metrics of the combined engine and each component on a labelled cohort, with CIs and lead time.
/// </summary>
internal static class EvaluateCohortVerb
{
    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "Bulk Data NDJSON folder of the cohort.",
            Required = true,
        };
        var truth = new Option<string>("--truth") { Description = "truth.ndjson of the cohort.", Required = true };
        var asOf = new Option<string?>("--as-of")
        {
            Description = "Date to screen at (YYYY-MM-DD). Default 2026-06-30, the generator's default.",
        };
        var report = new Option<string?>("--report")
        {
            Description = "Also write the full evaluation as JSON to this file.",
        };
        var tabularModel = CommonOptions.TabularModel();
        var noteModel = CommonOptions.NoteModel();
        var command = new Command(
            "evaluate-cohort",
            "Evaluate the HF risk engine and each of its components on a labelled cohort."
        )
        {
            data,
            truth,
            asOf,
            report,
            tabularModel,
            noteModel,
        };
        command.SetAction(
            async (result, cancellationToken) =>
            {
                var end = CohortOptions.DefaultAsOf;
                if (
                    result.GetValue(asOf) is { } text
                    && !DateOnly.TryParseExact(
                        text,
                        "yyyy-MM-dd",
                        CultureInfo.InvariantCulture,
                        DateTimeStyles.None,
                        out end
                    )
                )
                {
                    await Console.Error.WriteLineAsync($"error: --as-of '{text}' is not a date (YYYY-MM-DD).");
                    return Verbs.InvalidInput;
                }
                try
                {
                    using var host = await VerbHost.StartAsync(
                        CommonOptions.ToModelArgs(result.GetValue(tabularModel), result.GetValue(noteModel)),
                        cancellationToken,
                        withDatabase: false
                    );
                    await using var scope = host.Services.CreateAsyncScope();
                    var evaluation = await scope
                        .ServiceProvider.GetRequiredService<IMediator>()
                        .Send(
                            new EvaluateCohort(result.GetValue(data)!, result.GetValue(truth)!, end),
                            cancellationToken
                        );
                    await Console.Out.WriteAsync(evaluation.ToText());
                    if (result.GetValue(report) is { } path)
                        await File.WriteAllTextAsync(path, evaluation.ToJson() + "\n", cancellationToken);
                    return Verbs.Success;
                }
                catch (FluentValidation.ValidationException invalid)
                {
                    await Console.Error.WriteLineAsync(
                        $"error: {string.Join("; ", invalid.Errors.Select(e => e.ErrorMessage))}"
                    );
                    return Verbs.InvalidInput;
                }
            }
        );
        return command;
    }
}
