using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Scoring;
using Clinical.Models.Tabular;

namespace Clinical.Api.Hosting;

/// <summary>
/// Builds the one RiskEngine of the process. Clinical:TabularModel and Clinical:NoteModel name model
/// folders (a named folder that is missing is an error); unset, fixtures/models/hf-tabular and
/// fixtures/models/hf-note-classifier are used when they exist, and the engine runs without that component otherwise;
/// "none" leaves the component out.
/// </summary>
public static class RiskEngineLoader
{
    public const string TabularKey = "Clinical:TabularModel";
    public const string NoteKey = "Clinical:NoteModel";
    public const string DeviceKey = "Clinical:Device";
    public static readonly string DefaultTabular = Path.Combine("fixtures", "models", "hf-tabular");
    public static readonly string DefaultNotes = Path.Combine("fixtures", "models", "hf-note-classifier");

    public static IServiceCollection AddRiskEngine(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton(_ =>
            Load(configuration[TabularKey], configuration[NoteKey], configuration[DeviceKey] ?? "auto")
        );

    public static RiskEngine Load(string? tabularFolder, string? noteFolder, string device = "auto")
    {
        var tabularPath = Resolve(tabularFolder, DefaultTabular, TabularKey);
        var notePath = Resolve(noteFolder, DefaultNotes, NoteKey);
        var tabular = tabularPath is null ? null : TabularModel.Load(tabularPath);
        var combiner =
            tabularPath is not null && File.Exists(Path.Combine(tabularPath, StackedCombiner.FileName))
                ? StackedCombiner.Load(tabularPath)
                : StackedCombiner.Default;
        var notes = notePath is null ? null : NoteClassifier.Load(notePath, ComputeTarget.Resolve(device));
        return new RiskEngine(tabular, notes, combiner);
    }

    public const string None = "none";

    private static string? Resolve(string? configured, string fallback, string key)
    {
        if (configured == None)
            return null;
        if (!string.IsNullOrWhiteSpace(configured))
            return Directory.Exists(configured)
                ? configured
                : throw new DirectoryNotFoundException($"{key} names '{configured}', which is not a folder.");
        return Directory.Exists(fallback) && Directory.EnumerateFiles(fallback).Any() ? fallback : null;
    }
}
