using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clinical.Api.Features.Training;
using Clinical.Models.Training;

namespace Clinical.Api.Cli;

/// <summary>
/// `evaluate`: metrics of a classifier folder (or a rule baseline) on labelled notes as JSON, and optionally an HTML
/// report.
/// </summary>
internal static class EvaluateVerb
{
    /// <summary>The subgroup and prevalence parts of the output, in the snake_case the metrics use.</summary>
    private static readonly JsonSerializerOptions SnakeCase = new(ModelCard.Json)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static Command Create()
    {
        var model = new Option<string?>("--model")
        {
            Description =
                "Classifier folder (Hugging Face format with model-card.json); "
                + "its stored temperature and threshold are used.",
        };
        var baseline = new Option<string?>("--baseline")
        {
            Description =
                "Evaluate a rule instead of a model: keyword (any HF mention) or negation (NegEx-style Spanish rule).",
        };
        baseline.AcceptOnlyFromAmong(EvaluateClassifierValidator.Keyword, EvaluateClassifierValidator.Negation);
        var data = CommonOptions.LabelledNotes("--data", "Labelled notes to evaluate on");
        var report = new Option<string?>("--report")
        {
            Description =
                "Folder for report.html "
                + "(ROC, PR and calibration plots, confusion matrix, worst errors with their text).",
        };
        var device = CommonOptions.Device();
        var gapDays = CommonOptions.GapDays();
        var modelFor = CommonOptions.NoteModelFor();
        var command = new Command(
            "evaluate",
            "Evaluate the note classifier (or a baseline): n, positives, AUROC [95 % CI], AUPRC, sensitivity, "
                + "specificity, PPV, NPV, F1, Brier, ECE; the same by subgroup (note language; sex and age band "
                + "from FHIR input), with a warning on stderr when a subgroup's sensitivity falls behind."
        )
        {
            model,
            baseline,
            data,
            report,
            device,
            gapDays,
            modelFor,
        };
        EvaluationOptions.SetAction(
            command,
            (result, prevalence, calibratedAt) =>
                new EvaluateClassifier(
                    result.GetValue(model),
                    result.GetValue(baseline),
                    result.GetValue(data)!,
                    result.GetValue(report),
                    result.GetValue(device)!,
                    result.GetValue(gapDays),
                    prevalence,
                    calibratedAt,
                    CommonOptions.NoteModelsByLanguage(result.GetValue(modelFor))
                ),
            async (result, evaluation, _) =>
            {
                var json = JsonSerializer.SerializeToNode(evaluation.Metrics, ModelCard.Json)!.AsObject();
                json.Insert(0, "subject", evaluation.Subject);
                if (evaluation.ByLanguage.Count > 0)
                    json["by_language"] = JsonSerializer.SerializeToNode(
                        evaluation.ByLanguage.ToDictionary(
                            kv => kv.Key,
                            kv => new { model = kv.Value.Model, metrics = kv.Value.Metrics }
                        ),
                        ModelCard.Json
                    );
                json["subgroups"] = JsonSerializer.SerializeToNode(evaluation.Subgroups, SnakeCase);
                if (evaluation.AtPrevalence.Count > 0)
                    json["at_prevalence"] = JsonSerializer.SerializeToNode(evaluation.AtPrevalence, SnakeCase);
                if (evaluation.ReportPath is { } path)
                    json["report"] = path;
                await result.InvocationConfiguration.Output.WriteLineAsync(json.ToJsonString(ModelCard.Json));
            },
            evaluation => (evaluation.Subgroups, evaluation.AtPrevalence)
        );
        return command;
    }
}
