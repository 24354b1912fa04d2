using Clinical.Models.Runtime;

namespace Clinical.Models.Encoders.Roberta;

/// <summary>
/// The note classifiers of a deployment, chosen by the language a note is written in (ISO 639-1: es, ca, gl, eu):
/// a language's own model (for example a RoBERTa-ca fine-tune for Catalan notes) when one is configured, the default
/// model (Spanish or multilingual) otherwise. A note whose language has no model and no default is not scored.
/// A folder named for several languages is loaded once.
/// </summary>
public sealed class NoteModels : IDisposable
{
    private readonly Dictionary<string, NoteClassifier> _byLanguage;
    private readonly List<NoteClassifier> _loaded;

    private NoteModels(
        NoteClassifier? fallback,
        Dictionary<string, NoteClassifier> byLanguage,
        IReadOnlyDictionary<NoteClassifier, string> names
    )
    {
        Default = fallback;
        _byLanguage = byLanguage;
        Names = names;
        _loaded = [.. byLanguage.Values.Append(fallback).OfType<NoteClassifier>().Distinct()];
    }

    public NoteClassifier? Default { get; }

    /// <summary>The languages with a model of their own, in ordinal order.</summary>
    public IReadOnlyList<string> Languages => [.. _byLanguage.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The folder each classifier was loaded from (a name given by the caller for in-memory ones).</summary>
    public IReadOnlyDictionary<NoteClassifier, string> Names { get; }

    /// <summary>One classifier for every language.</summary>
    public static NoteModels Single(NoteClassifier classifier, string name = "note classifier") =>
        new(classifier, new Dictionary<string, NoteClassifier>(StringComparer.Ordinal), Map([(classifier, name)]));

    /// <summary>
    /// Loads the default folder (may be null) and one folder per language; the same folder twice is loaded once.
    /// </summary>
    public static NoteModels Load(
        string? defaultFolder,
        IReadOnlyDictionary<string, string> folderByLanguage,
        ComputeTarget target
    )
    {
        var byFolder = new Dictionary<string, NoteClassifier>(StringComparer.Ordinal);
        try
        {
            NoteClassifier Open(string folder)
            {
                var key = Path.GetFullPath(folder);
                if (!byFolder.TryGetValue(key, out var classifier))
                    byFolder[key] = classifier = NoteClassifier.Load(folder, target);
                return classifier;
            }
            var fallback = defaultFolder is null ? null : Open(defaultFolder);
            var byLanguage = folderByLanguage.ToDictionary(
                kv => Language(kv.Key),
                kv => Open(kv.Value),
                StringComparer.Ordinal
            );
            return new NoteModels(
                fallback,
                byLanguage,
                Map(byFolder.Select(kv => (kv.Value, Path.GetFileName(Path.TrimEndingDirectorySeparator(kv.Key)))))
            );
        }
        catch
        {
            foreach (var classifier in byFolder.Values)
                classifier.Dispose();
            throw;
        }
    }

    /// <summary>In-memory classifiers by language (tests, benchmarks), named "default" and "LANG model".</summary>
    public static NoteModels Of(NoteClassifier? fallback, params (string Language, NoteClassifier Model)[] byLanguage)
    {
        var named = byLanguage.Select(x => (x.Model, $"{Language(x.Language)} model"));
        return new(
            fallback,
            byLanguage.ToDictionary(x => Language(x.Language), x => x.Model, StringComparer.Ordinal),
            Map(fallback is null ? named : named.Prepend((fallback, "default")))
        );
    }

    /// <summary>
    /// The classifier for notes in <paramref name="language"/>: its own, else the default, else none.
    /// </summary>
    public NoteClassifier? For(string? language) =>
        language is not null && _byLanguage.TryGetValue(language, out var own) ? own : Default;

    /// <summary>"ca: roberta-ca-hf; default: hf-note-classifier": which folder reads which language.</summary>
    public string Describe() =>
        string.Join(
            "; ",
            Languages
                .Select(l => $"{l}: {Names[_byLanguage[l]]}")
                .Concat(Default is null ? [] : [$"default: {Names[Default]}"])
        );

    /// <summary>
    /// Each note scored by its language's classifier (null where none applies), in the order given.
    /// </summary>
    public IReadOnlyList<NoteScore?> Classify(IReadOnlyList<(string Text, string? Language)> notes)
    {
        var scores = new NoteScore?[notes.Count];
        foreach (var group in Route(notes))
        {
            var scored = group.Key.Classify([.. group.Select(n => notes[n].Text)]);
            var indices = group.ToList();
            for (var i = 0; i < indices.Count; i++)
                scores[indices[i]] = scored[i] with { NoteIndex = indices[i] };
        }
        return scores;
    }

    /// <summary>
    /// A patient's score over notes in several languages: each language's notes through its classifier (that
    /// classifier's own patient aggregation), and the highest of those patient probabilities decides, as the
    /// single-model default (Max) does across notes. Note indices are those of <paramref name="notes"/>;
    /// null when no note has a classifier.
    /// </summary>
    public PatientScore? ClassifyPatient(
        IReadOnlyList<(string Text, string? Language)> notes,
        CancellationToken cancellationToken = default
    ) => ClassifyPatients([notes], cancellationToken)[0];

    /// <summary>
    /// Many patients at once (a cohort's batch), each scored as <see cref="ClassifyPatient"/> scores one: per
    /// classifier, one batched pass over every patient's notes in that classifier's languages.
    /// </summary>
    public IReadOnlyList<PatientScore?> ClassifyPatients(
        IReadOnlyList<IReadOnlyList<(string Text, string? Language)>> patients,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(patients);
        var best = new PatientScore?[patients.Count];
        var all = patients.Select(_ => new List<NoteScore>()).ToArray();
        var classifiers = patients.SelectMany(p => p.Select(n => For(n.Language))).OfType<NoteClassifier>().Distinct();
        foreach (var classifier in classifiers.ToList())
        {
            var indices = patients
                .Select(p => Enumerable.Range(0, p.Count).Where(i => For(p[i].Language) == classifier).ToList())
                .ToList();
            var texts = indices
                .Select((notes, p) => (IReadOnlyList<string>)[.. notes.Select(i => patients[p][i].Text)])
                .ToList();
            var scores = classifier.ClassifyPatients(texts, cancellationToken);
            for (var p = 0; p < patients.Count; p++)
            {
                if (scores[p] is not { } score)
                    continue;
                var remapped = score.Notes.Select(s => s with { NoteIndex = indices[p][s.NoteIndex] }).ToList();
                all[p].AddRange(remapped);
                if (best[p] is null || score.Probability > best[p]!.Probability)
                    best[p] = score with { DrivingNote = remapped[score.DrivingNote.NoteIndex] };
            }
        }
        return [.. best.Select((b, p) => b is null ? null : b with { Notes = [.. all[p].OrderBy(s => s.NoteIndex)] })];
    }

    private IEnumerable<IGrouping<NoteClassifier, int>> Route(IReadOnlyList<(string Text, string? Language)> notes) =>
        Enumerable
            .Range(0, notes.Count)
            .Select(i => (Index: i, Classifier: For(notes[i].Language)))
            .Where(x => x.Classifier is not null)
            .GroupBy(x => x.Classifier!, x => x.Index);

    private static string Language(string language)
    {
        var code = language.Trim().ToLowerInvariant();
        return code.Length == 2 && code.All(char.IsAsciiLetterLower)
            ? code
            : throw new ArgumentException(
                $"'{language}' is not a two-letter ISO 639-1 language code (es, ca, gl, eu).",
                nameof(language)
            );
    }

    private static Dictionary<NoteClassifier, string> Map(IEnumerable<(NoteClassifier Classifier, string Name)> names)
    {
        var map = new Dictionary<NoteClassifier, string>();
        foreach (var (classifier, name) in names)
            map.TryAdd(classifier, name);
        return map;
    }

    public void Dispose()
    {
        foreach (var classifier in _loaded)
            classifier.Dispose();
    }
}
