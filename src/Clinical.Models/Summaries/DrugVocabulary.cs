using System.Text.RegularExpressions;
using Clinical.Models.Language;

namespace Clinical.Models.Summaries;

/// <summary>
/// A drug (or drug class) a summary may name: the name it is shown by, every spelling it may be written in (the
/// four languages, English, brands), and whether a mention points at HF being treated (loop diuretics, MRAs,
/// sacubitril/valsartan, as the risk engine's treatment evidence reads them).
/// </summary>
public sealed record SummaryDrug(string Name, IReadOnlyList<string> Spellings, bool SuggestsHeartFailure);

/// <summary>A drug named in text: its shown name, the words as written, and whether it points at HF.</summary>
public sealed record DrugMention(string Name, string Text, bool SuggestsHeartFailure);

/// <summary>
/// The drug names the summaries know. They are data: the host maps the one drug lexicon (ATC/RxNorm, in
/// Clinical.Fhir's Terminology) into this record when it builds a summariser, since Models never reads FHIR
/// terminology. Names match without accents or case, at word starts, with up to seven trailing letters for the
/// plural and Basque case endings ("diuréticos", "furosemidarekin") on names of six letters or more.
/// </summary>
public sealed class DrugVocabulary(IReadOnlyList<SummaryDrug> drugs)
{
    private const int SuffixFrom = 6;

    private readonly Lazy<(Regex? Pattern, Dictionary<string, SummaryDrug> BySpelling)> _compiled = new(() =>
        Compile(drugs)
    );

    public static DrugVocabulary Empty { get; } = new([]);

    public IReadOnlyList<SummaryDrug> Drugs => drugs;

    public IReadOnlyList<DrugMention> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (pattern, bySpelling) = _compiled.Value;
        if (pattern is null)
            return [];
        return pattern
            .Matches(AccentFolding.Fold(text))
            .Select(m =>
            {
                var name = string.Join(' ', m.Groups["name"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                var drug = bySpelling[name.ToLowerInvariant()];
                return new DrugMention(drug.Name, text.Substring(m.Index, m.Length), drug.SuggestsHeartFailure);
            })
            .ToList();
    }

    private static (Regex?, Dictionary<string, SummaryDrug>) Compile(IReadOnlyList<SummaryDrug> drugs)
    {
        var bySpelling = new Dictionary<string, SummaryDrug>(StringComparer.Ordinal);
        foreach (var drug in drugs)
        foreach (var spelling in drug.Spellings)
            bySpelling.TryAdd(AccentFolding.Fold(spelling).ToLowerInvariant(), drug);
        if (bySpelling.Count == 0)
            return (null, bySpelling);
        var alternatives = bySpelling
            .Keys.OrderByDescending(s => s.Length)
            .Select(s => Regex.Escape(s).Replace(@"\ ", " +", StringComparison.Ordinal));
        var pattern = new Regex(
            $@"(?<![\p{{L}}\p{{N}}])(?<name>{string.Join('|', alternatives)})"
                + $@"(?(?<=[\p{{L}}\p{{N}}]{{{SuffixFrom}}})\p{{L}}{{0,7}})(?![\p{{L}}\p{{N}}])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
        );
        return (pattern, bySpelling);
    }
}
