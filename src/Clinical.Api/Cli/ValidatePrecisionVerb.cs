using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Clinical.Api.Features.Training;
using Clinical.Models.Evaluation;
using Clinical.Models.Runtime;
using Clinical.Models.Training;

namespace Clinical.Api.Cli;

/// <summary>
/// `validate-precision`: scores labelled notes with a note classifier in fp32, bf16 and int8 on this CPU and checks
/// the reduced precisions against fp32 (AUROC within 0.002, no calibrated probability more than 0.02 away);
/// --record writes the checks and the precision inference should use into the folder's model card.
/// </summary>
internal static class ValidatePrecisionVerb
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "Note classifier folder (Hugging Face format with model-card.json).",
            DefaultValueFactory = _ => Path.Combine("fixtures", "models", "hf-note-classifier"),
        };
        var data = new Option<string>("--data")
        {
            HelpName = "PATH",
            Description =
                "Labelled notes, JSON Lines {id, text, label} (e.g. ../shared/corpus/dev.jsonl), or a FHIR folder "
                + "(bundles or Bulk NDJSON, weak labels: e.g. a generated held-out cohort).",
            Required = true,
        };
        var record = new Option<string?>("--record")
        {
            Description =
                $"Record the checks in the model card with this precision ({PrecisionNames.Accepted}) as the one "
                + "inference uses when left to the model; refused unless it passed.",
        };
        var gapDays = CommonOptions.GapDays();
        var command = new Command(
            "validate-precision",
            "Check bf16 and int8 note inference against fp32 on labelled notes (AUROC, calibrated probabilities)."
        )
        {
            model,
            data,
            record,
            gapDays,
        };
        command.SetAction(
            async (result, cancellationToken) =>
            {
                var folder = result.GetValue(model)!;
                var path = result.GetValue(data)!;
                if (!Directory.Exists(folder) || !(File.Exists(path) || Directory.Exists(path)))
                {
                    Console.Error.WriteLine(
                        Directory.Exists(folder)
                            ? $"error: no labelled notes at {path}"
                            : $"error: no model folder at {folder}"
                    );
                    return Verbs.InvalidInput;
                }
                var recorded = result.GetValue(record);
                var validated = Precision.Fp32;
                if (recorded is not null && !PrecisionNames.TryParse(recorded, out validated))
                {
                    Console.Error.WriteLine($"error: unknown --record '{recorded}'; use {PrecisionNames.Accepted}.");
                    return Verbs.InvalidInput;
                }
                var notes = await ReadNotesAsync(path, result.GetValue(gapDays), cancellationToken);
                PrecisionValidation validation;
                try
                {
                    validation = PrecisionFaithfulness.Check(folder, notes, DataName(path), validated);
                }
                catch (InvalidOperationException e)
                {
                    Console.Error.WriteLine($"error: {e.Message}");
                    return Verbs.Failure;
                }
                Console.WriteLine(JsonSerializer.Serialize(validation, Indented));
                foreach (var check in validation.Checks)
                    Console.Error.WriteLine(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"{check.Precision}: AUROC {check.Auroc:0.0000} "
                                + $"({Math.Round(check.AurocDifference, 4):+0.0000;-0.0000;0.0000} "
                                + $"vs fp32 {validation.ReferenceAuroc:0.0000}), largest probability difference "
                                + $"{check.MaxProbabilityDifference:0.0000}: "
                                + $"{(check.Faithful ? "faithful" : "NOT faithful")}"
                        )
                    );
                if (recorded is not null)
                    ModelCard.WritePrecision(folder, validation);
                return validation.Checks.All(c => c.Faithful) ? Verbs.Success : Verbs.Failure;
            }
        );
        return command;
    }

    /// <summary>Note-level JSON Lines as they are; a FHIR folder through the weak labels training uses.</summary>
    private static async Task<IReadOnlyList<LabelledNote>> ReadNotesAsync(
        string path,
        int gapDays,
        CancellationToken cancellationToken
    )
    {
        if (!WeakLabels.IsFhir(path))
            return LabelledNotes.Read(path).ToList();
        using var host = await VerbHost.StartAsync([], cancellationToken, withDatabase: false);
        return host.Services.GetRequiredService<TrainingInputs>().Load(path, gapDays, cancellationToken).Notes;
    }

    /// <summary>The file and its folder (corpus/dev.jsonl): enough to name it in a card, no machine paths.</summary>
    private static string DataName(string path) =>
        Path.Combine(Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? "", Path.GetFileName(path));
}
