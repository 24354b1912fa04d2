using System.CommandLine;
using System.CommandLine.Parsing;
using Clinical.Api.Features.Training;
using Clinical.Api.Hosting;
using Clinical.Api.Pipeline;

namespace Clinical.Api.Cli;

/// <summary>
/// Options that several verbs take, declared once: typed where the value has a type (a date), so that a bad value
/// is a parse error (one stderr line naming the option, exit 2) before any verb runs.
/// </summary>
internal static class CommonOptions
{
    /// <summary>What a FHIR input on the command line may be (see Clinical.Fhir.Parsing.FhirInputs).</summary>
    public const string FhirInputs =
        "FHIR R4 JSON files (a Bundle or a single resource), folders of them (*.json, recursively), "
        + "or Bulk Data export folders (Type.ndjson files).";

    /// <summary>--as-of YYYY-MM-DD, parsed by the same rule as the HTTP asOf parameter.</summary>
    public static Option<DateOnly?> AsOf(string description) =>
        new("--as-of")
        {
            Description = description,
            HelpName = "YYYY-MM-DD",
            CustomParser = ParseDate,
        };

    public static Option<string?> Database() =>
        new("--database")
        {
            HelpName = "FILE",
            Description =
                "SQLite file where results are stored (default data/clinical.db; or set ConnectionStrings__Clinical).",
        };

    /// <summary>Configuration overrides from verb options, in the same keys appsettings uses.</summary>
    public static string[] ToConfigurationArgs(string? database) =>
        database is null ? [] : [$"--{ClinicalOptions.Section}:Database={database}"];

    public static Option<string?> TabularModel() =>
        new("--tabular-model")
        {
            HelpName = "DIR",
            Description =
                "Folder of the tabular model (model.zip, card.json, stacking.json), or none. "
                + "Default fixtures/models/hf-tabular when it exists.",
        };

    public static Option<string?> NoteModel() =>
        new("--note-model")
        {
            HelpName = "DIR",
            Description =
                "Hugging Face folder of the RoBERTa note classifier, or none. "
                + "Default fixtures/models/hf-note-classifier when it exists.",
        };

    /// <summary>--note-model-for LANG=DIR, repeatable: the classifier for notes written in LANG.</summary>
    public static Option<string[]> NoteModelFor()
    {
        var option = new Option<string[]>("--note-model-for")
        {
            HelpName = "LANG=DIR",
            Description =
                "Note classifier folder for notes written in LANG (es, ca, gl, eu), e.g. ca=models/roberta-ca-hf; "
                + "repeatable. Notes in other languages go to the default note model.",
            DefaultValueFactory = _ => [],
        };
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
                if (!TryLanguageFolder(token.Value, out _))
                    result.AddError($"--note-model-for {token.Value}: expected LANG=DIR with a two-letter LANG.");
        });
        return option;
    }

    public static string[] ToModelArgs(
        string? tabularModel,
        string? noteModel,
        IReadOnlyList<string>? noteModelFor = null
    ) =>
        [
            .. tabularModel is null ? Array.Empty<string>() : [$"--{RiskEngineLoader.TabularKey}={tabularModel}"],
            .. noteModel is null ? Array.Empty<string>() : [$"--{RiskEngineLoader.NoteKey}={noteModel}"],
            .. NoteModelsByLanguage(noteModelFor)
                .Select(kv => $"--{RiskEngineLoader.NoteByLanguageKey}:{kv.Key}={kv.Value}"),
        ];

    /// <summary>LANG=DIR values as a language → folder map (validated by the option already).</summary>
    public static Dictionary<string, string> NoteModelsByLanguage(IReadOnlyList<string>? values)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
            if (TryLanguageFolder(value, out var pair))
                map[pair.Language] = pair.Folder;
        return map;
    }

    private static bool TryLanguageFolder(string value, out (string Language, string Folder) pair)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        var language = equals < 0 ? "" : value[..equals].Trim().ToLowerInvariant();
        pair = (language, equals < 0 ? "" : value[(equals + 1)..].Trim());
        return language.Length == 2 && language.All(char.IsAsciiLetterLower) && pair.Folder.Length > 0;
    }

    /// <summary>Labelled notes for the classifier verbs, in either form TrainingInputs reads.</summary>
    public static Option<string> LabelledNotes(string name, string purpose) =>
        new(name)
        {
            HelpName = "PATH",
            Description =
                $"{purpose}: JSON Lines {{id, text, label}} or a FHIR folder "
                + "(bundles or Bulk NDJSON; weak labels from HF diagnoses).",
            Required = true,
        };

    public static Option<string> Device(string? note = null) =>
        new("--device")
        {
            Description = note is null ? "auto, cpu or cuda[:N]." : $"auto, cpu or cuda[:N] ({note}).",
            DefaultValueFactory = _ => "auto",
        };

    public static Option<int> GapDays() =>
        new("--gap-days")
        {
            Description = "FHIR weak labels: days between the text cut and the HF diagnosis.",
            DefaultValueFactory = _ => WeakLabels.DefaultGapDays,
        };

    private static DateOnly? ParseDate(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (AsOfRule.TryParse(text, out var date))
            return date;
        result.AddError(AsOfRule.NotADate("--as-of", text));
        return null;
    }
}
