using System.CommandLine;
using System.Text.Json;
using Clinical.Api.Errors;
using Clinical.Api.Features.Summaries;
using Clinical.Fhir.Parsing;
using Clinical.Models.Summaries;
using Mediator;

namespace Clinical.Api.Cli;

/// <summary>The summarize verb's options, as parsed.</summary>
public sealed record SummarizeArguments(
    string Path,
    DateOnly? AsOf = null,
    bool Json = false,
    string? SummarizerModel = null,
    int MaxNewTokens = 384,
    double TimeBudgetSeconds = 60,
    string? Database = null
);

/// <summary>
/// `summarize PATH`: a summary of each patient in a FHIR file (or a folder of them) for the GP, with its grounding
/// report. Extractive without a model; abstractive (Salamandra/ALIA via --summarizer-model or
/// Clinical:SummarizerModel) with a fallback to extractive. Exit 0 when every input was summarised, 2 when an input or
/// option was invalid.
/// </summary>
internal static class SummarizeVerb
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var path = new Argument<string>("path")
        {
            Description = "A FHIR R4 JSON file (a Bundle or a single resource) or a folder of them (*.json).",
        };
        var asOf = CommonOptions.AsOf("Summarise the record as it stood on this date. Default: today.");
        var json = new Option<bool>("--json")
        {
            Description = "Print JSON (text, kind, language, model, prompt version, claims checked/failed, warnings).",
        };
        var model = new Option<string?>("--summarizer-model")
        {
            Description =
                "Hugging Face folder of a Salamandra/ALIA instruct model "
                + "(default: setting Clinical:SummarizerModel; none = extractive).",
        };
        var maxNewTokens = new Option<int>("--max-new-tokens")
        {
            Description = "Most tokens the model may write.",
            DefaultValueFactory = _ => 384,
        };
        var timeBudget = new Option<double>("--time-budget")
        {
            Description = "Seconds the model may take per patient before the extractive summary is used.",
            DefaultValueFactory = _ => 60,
        };
        var database = CommonOptions.Database();
        var command = new Command(
            "summarize",
            "Summarise each patient's notes and values for heart-failure screening, with a grounding report."
        )
        {
            path,
            asOf,
            json,
            model,
            maxNewTokens,
            timeBudget,
            database,
        };
        command.SetAction(
            (result, cancellationToken) =>
                RunAsync(
                    new SummarizeArguments(
                        result.GetValue(path)!,
                        result.GetValue(asOf),
                        result.GetValue(json),
                        result.GetValue(model),
                        result.GetValue(maxNewTokens),
                        result.GetValue(timeBudget),
                        result.GetValue(database)
                    ),
                    result.InvocationConfiguration.Output,
                    result.InvocationConfiguration.Error,
                    cancellationToken
                )
        );
        return command;
    }

    public static async Task<int> RunAsync(
        SummarizeArguments arguments,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken
    )
    {
        var issues = new List<InputIssue>();
        var files = new List<string>();
        foreach (var input in FhirInputs.Enumerate([arguments.Path], issues))
        {
            if (input.IsBulkExport)
                issues.Add(
                    new InputIssue(
                        IssueSeverity.Error,
                        "not-supported",
                        "summarize reads FHIR JSON files; this is a Bulk Data export (screen reads those).",
                        Source: input.Path
                    )
                );
            else
                files.Add(input.Path);
        }
        if (issues.Count > 0 || files.Count == 0)
        {
            await stderr.WriteLineAsync(
                issues.Count > 0
                    ? $"error: {CommandLineErrors.Describe(issues)}"
                    : $"error: no FHIR JSON file at {arguments.Path}"
            );
            return Verbs.InvalidInput;
        }

        using var host = await VerbHost.StartAsync(
            CommonOptions.ToConfigurationArgs(arguments.Database),
            cancellationToken
        );
        var maxBytes = host.Services.GetRequiredService<InputLimits>().MaxBytes;
        var summaries = new List<PatientSummary>();
        var invalid = false;
        foreach (var file in files)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            try
            {
                var outcome = await mediator.Send(
                    new SummarizePatient(
                        await BoundedInput.ReadFileAsync(file, maxBytes, cancellationToken),
                        file,
                        arguments.AsOf,
                        arguments.SummarizerModel,
                        arguments.MaxNewTokens,
                        arguments.TimeBudgetSeconds,
                        $"cli:{Environment.UserName}"
                    ),
                    cancellationToken
                );
                summaries.AddRange(outcome.Summaries);
                foreach (
                    var problem in outcome.Issues.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal)
                )
                {
                    invalid = true;
                    await stderr.WriteLineAsync($"error: {CommandLineErrors.Describe(problem)}");
                }
            }
            catch (Exception ex) when (Failure.Of(ex) is { Class: FailureClass.BadInput } failure)
            {
                // A bad file is reported and the other files are still summarised.
                invalid = true;
                var located = failure.Issues.Select(i => i with { Source = i.Source ?? file }).ToList();
                await stderr.WriteLineAsync(
                    located.Count > 0
                        ? $"error: {CommandLineErrors.Describe(located)}"
                        : CommandLineErrors.Line(failure, ex)
                );
            }
        }

        if (arguments.Json)
            await stdout.WriteLineAsync(JsonSerializer.Serialize(summaries.Select(Json), Indented));
        else
            foreach (var summary in summaries)
                await stdout.WriteLineAsync(Text(summary));
        return invalid ? Verbs.InvalidInput : Verbs.Success;
    }

    private static object Json(PatientSummary summary) =>
        new
        {
            patient = summary.PatientReference,
            text = summary.Text,
            kind = SummaryMapping.Kind(summary.Kind),
            language = summary.Language,
            model = summary.ModelName,
            modelVersion = summary.ModelVersion,
            promptVersion = summary.PromptVersion,
            claimsChecked = summary.Grounding.ClaimsChecked,
            claimsFailed = summary.Grounding.ClaimsFailed,
            failedClaims = summary.Grounding.FailedClaims.Select(c => new
            {
                kind = c.Kind.ToString().ToLowerInvariant(),
                text = c.Text,
                sentence = c.Sentence,
            }),
            sentencesRemoved = summary.Grounding.SentencesRemoved,
            warnings = summary.Warnings,
            sources = summary.Sources,
        };

    private static string Text(PatientSummary summary)
    {
        var lines = new List<string>
        {
            $"== {summary.PatientReference} ({SummaryMapping.Kind(summary.Kind)}, {summary.Language}, "
                + $"{summary.ModelName} {summary.ModelVersion}, prompt {summary.PromptVersion}) ==",
            summary.Text,
            "",
            $"Grounding: {summary.Grounding.ClaimsChecked} claims checked, {summary.Grounding.ClaimsFailed} failed, "
                + $"{summary.Grounding.SentencesRemoved} sentences "
                + $"{(summary.Grounding.Mode == GroundingMode.Remove ? "removed" : "marked")}.",
        };
        lines.AddRange(
            summary.Grounding.FailedClaims.Select(c =>
                $"  unsupported {c.Kind.ToString().ToLowerInvariant()} \"{c.Text}\" in: {c.Sentence}"
            )
        );
        lines.AddRange(summary.Warnings.Select(w => $"Warning: {w}"));
        lines.Add("");
        return string.Join('\n', lines);
    }
}
