using System.Text.RegularExpressions;

namespace Clinical.Models.Summaries;

/// <summary>A sentence of a note with its date, source and the HF terms matched in it.</summary>
public sealed record EvidenceSentence(string Text, DateOnly? When, string Source, IReadOnlyList<TermMatch> Matches)
{
    public double Relevance => HeartFailureTerms.Relevance(Matches);
}

/// <summary>
/// Picks the most HF-relevant sentences of a patient's notes for a summary: every sentence with an HF term,
/// ranked by relevance (then most recent first), kept while they fit the token budget. Long records are
/// therefore cut by relevance, not by position.
/// </summary>
public static partial class EvidenceSelection
{
    /// <summary>
    /// A rough count for when no tokenizer is at hand: about 4 characters per token, as BPE tokenizers give on Spanish.
    /// </summary>
    public static int ApproximateTokens(string text) => (text.Length + 3) / 4;

    public static IReadOnlyList<EvidenceSentence> Sentences(IEnumerable<SummaryNote> notes) =>
        notes
            .SelectMany(note =>
                SplitSentences(note.Text)
                    .Select(sentence => new EvidenceSentence(
                        sentence,
                        note.When,
                        note.Source,
                        HeartFailureTerms.Find(sentence)
                    ))
            )
            .ToList();

    public static IReadOnlyList<EvidenceSentence> Select(
        IEnumerable<SummaryNote> notes,
        int tokenBudget,
        Func<string, int>? countTokens = null
    )
    {
        countTokens ??= ApproximateTokens;
        var ranked = Sentences(notes)
            .Where(s => s.Matches.Count > 0)
            .DistinctBy(s => (s.Text, s.When))
            .OrderByDescending(s => s.Relevance)
            .ThenByDescending(s => s.When ?? DateOnly.MinValue)
            .ThenBy(s => s.Source, StringComparer.Ordinal);
        var selected = new List<EvidenceSentence>();
        var used = 0;
        foreach (var sentence in ranked)
        {
            var cost = countTokens(Line(sentence));
            if (used + cost > tokenBudget)
                continue;
            selected.Add(sentence);
            used += cost;
        }
        return selected;
    }

    /// <summary>
    /// How a selected sentence is shown to the model and in an extractive summary: "- dd/mm/yyyy: text".
    /// </summary>
    public static string Line(EvidenceSentence sentence) =>
        sentence.When is { } when ? $"- {SummaryFormat.Date(when)}: {sentence.Text}" : $"- {sentence.Text}";

    public static IEnumerable<string> SplitSentences(string text) =>
        SentenceBreak()
            .Split(text.Replace("\r", "", StringComparison.Ordinal))
            .Select(s => Whitespace().Replace(s, " ").Trim())
            .Where(s => s.Length > 0);

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}\d¿¡])|\n+")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
