using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Scoring;
using Clinical.Models.Tabular;

namespace Clinical.Api.Hosting;

/// <summary>
/// Builds the one RiskEngine of the process. Clinical:TabularModel and Clinical:NoteModel name model
/// folders (a named folder that is missing is an error); unset, fixtures/models/hf-tabular and
/// fixtures/models/hf-note-classifier are used when they exist, and the engine runs without that component otherwise;
/// "none" leaves the component out. Clinical:NoteModels:LANG names the note classifier for notes in language LANG
/// (es, ca, gl, eu); notes in other languages go to Clinical:NoteModel (the default). Clinical:NotePrecision (auto,
/// fp32, bf16 or int8; auto: the note model card's validated precision), Clinical:CpuThreads (libtorch's intra-op
/// threads; unset: the cores other work leaves free) and Clinical:CpuMode (latency, the default: every core inside each
/// forward pass; throughput, the cohort verbs' default: passes side by side) tune note inference.
/// </summary>
public static class RiskEngineLoader
{
    public const string TabularKey = "Clinical:TabularModel";
    public const string NoteKey = "Clinical:NoteModel";
    public const string NoteByLanguageKey = "Clinical:NoteModels";
    public const string DeviceKey = "Clinical:Device";
    public const string NotePrecisionKey = "Clinical:NotePrecision";
    public const string CpuThreadsKey = "Clinical:CpuThreads";
    public const string CpuModeKey = "Clinical:CpuMode";
    public static readonly string DefaultTabular = Path.Combine("fixtures", "models", "hf-tabular");
    public static readonly string DefaultNotes = Path.Combine("fixtures", "models", "hf-note-classifier");

    public static IServiceCollection AddRiskEngine(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton(_ =>
        {
            CpuThreads.Configure(configuration.GetValue<int?>(CpuThreadsKey), ParseCpuMode(configuration[CpuModeKey]));
            return Load(
                configuration[TabularKey],
                configuration[NoteKey],
                configuration[DeviceKey] ?? "auto",
                NoteFoldersByLanguage(configuration),
                configuration[NotePrecisionKey]
            );
        });

    /// <summary>Clinical:CpuMode: latency (also when unset) or throughput.</summary>
    public static CpuMode ParseCpuMode(string? value) =>
        value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "latency" => CpuMode.Latency,
            "throughput" => CpuMode.Throughput,
            _ => throw new InvalidOperationException($"{CpuModeKey} is '{value}'; use latency or throughput."),
        };

    /// <summary>Clinical:NoteModels:LANG = folder, for every configured language.</summary>
    public static IReadOnlyDictionary<string, string> NoteFoldersByLanguage(IConfiguration configuration) =>
        configuration
            .GetSection(NoteByLanguageKey)
            .GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal);

    public static RiskEngine Load(
        string? tabularFolder,
        string? noteFolder,
        string device = "auto",
        IReadOnlyDictionary<string, string>? noteFoldersByLanguage = null,
        string? notePrecision = null
    )
    {
        var precision = ParsePrecision(notePrecision);
        var tabularPath = Resolve(tabularFolder, DefaultTabular, TabularKey);
        var notePath = Resolve(noteFolder, DefaultNotes, NoteKey);
        var byLanguage = (noteFoldersByLanguage ?? new Dictionary<string, string>()).ToDictionary(
            kv => kv.Key,
            kv =>
                Directory.Exists(kv.Value)
                    ? kv.Value
                    : throw new DirectoryNotFoundException(
                        $"{NoteByLanguageKey}:{kv.Key} names '{kv.Value}', which is not a folder."
                    ),
            StringComparer.Ordinal
        );
        var tabular = tabularPath is null ? null : TabularModel.Load(tabularPath);
        var combiner =
            tabularPath is not null && File.Exists(Path.Combine(tabularPath, StackedCombiner.FileName))
                ? StackedCombiner.Load(tabularPath)
                : StackedCombiner.Default;
        var notes =
            notePath is null && byLanguage.Count == 0
                ? null
                : NoteModels.Load(notePath, byLanguage, ComputeTarget.ForInference(device, precision));
        return new RiskEngine(tabular, notes, combiner);
    }

    public const string None = "none";

    private static Precision? ParsePrecision(string? text)
    {
        try
        {
            return PrecisionNames.ParseOption(text);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{NotePrecisionKey}: {e.Message}", e);
        }
    }

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
