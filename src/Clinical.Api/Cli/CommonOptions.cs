using System.CommandLine;

namespace Clinical.Api.Cli;

internal static class CommonOptions
{
    public static Option<string?> Database() =>
        new("--database")
        {
            Description =
                "SQLite file where results are stored (default data/clinical.db; or set ConnectionStrings__Clinical).",
        };

    /// <summary>Configuration overrides from verb options, in the same keys appsettings uses.</summary>
    public static string[] ToConfigurationArgs(string? database) =>
        database is null ? [] : [$"--{Hosting.ClinicalOptions.Section}:Database={database}"];

    public static Option<string?> TabularModel() =>
        new("--tabular-model")
        {
            Description =
                "Folder of the tabular model (model.zip, card.json, stacking.json). Default fixtures/models/hf-tabular when it exists.",
        };

    public static Option<string?> NoteModel() =>
        new("--note-model")
        {
            Description =
                "Hugging Face folder of the RoBERTa note classifier. Default fixtures/models/hf-note-classifier when it exists.",
        };

    public static string[] ToModelArgs(string? tabularModel, string? noteModel) =>
        [
            .. tabularModel is null
                ? Array.Empty<string>()
                : [$"--{Hosting.RiskEngineLoader.TabularKey}={tabularModel}"],
            .. noteModel is null
                ? Array.Empty<string>()
                : [$"--{Hosting.RiskEngineLoader.NoteKey}={noteModel}"],
        ];
}
