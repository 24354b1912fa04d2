using System.CommandLine;
using Clinical.Api.Features.Cohorts;
using Clinical.Synthetic;

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
        var asOf = CommonOptions.AsOf("Date to screen at. Default 2026-06-30, the generator's default.");
        var report = new Option<string?>("--report")
        {
            Description = "Also write the full evaluation (with the subgroup table) as JSON to this file.",
        };
        var tabularModel = CommonOptions.TabularModel();
        var noteModel = CommonOptions.NoteModel();
        var noteModelFor = CommonOptions.NoteModelFor();
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
            noteModelFor,
        };
        EvaluationOptions.SetAction(
            command,
            (result, prevalence, calibratedAt) =>
                new EvaluateCohort(
                    result.GetValue(data)!,
                    result.GetValue(truth)!,
                    result.GetValue(asOf) ?? CohortOptions.DefaultAsOf,
                    prevalence,
                    calibratedAt
                ),
            async (result, evaluation, ct) =>
            {
                await result.InvocationConfiguration.Output.WriteAsync(evaluation.ToText());
                if (result.GetValue(report) is { } path)
                    await File.WriteAllTextAsync(path, evaluation.ToJson() + "\n", ct);
            },
            evaluation => (evaluation.Subgroups, evaluation.AtPrevalence),
            result =>
                CommonOptions.ToModelArgs(
                    result.GetValue(tabularModel),
                    result.GetValue(noteModel),
                    result.GetValue(noteModelFor)
                )
        );
        return command;
    }
}
