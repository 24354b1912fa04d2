using System.Text.RegularExpressions;
using Clinical.Models.Language;

namespace Clinical.Models.Summaries;

/// <summary>
/// A sentence of a note with its date, source, the HF concepts the clinical-language layer found in it, and the drugs
/// it names.
/// </summary>
public sealed record EvidenceSentence(
    string Text,
    DateOnly? When,
    string Source,
    IReadOnlyList<ClinicalMention> Mentions,
    IReadOnlyList<DrugMention> Drugs
)
{
    public double Relevance => EvidenceSelection.Relevance(Mentions, Drugs);

    /// <summary>Whether the sentence says anything about HF: a concept, or a drug that points at HF.</summary>
    public bool IsEvidence => Mentions.Count > 0 || Drugs.Any(d => d.SuggestsHeartFailure);
}

/// <summary>
/// Picks the most HF-relevant sentences of a patient's notes for a summary: every sentence with an HF concept or an
/// HF-suggesting drug, ranked by relevance (then most recent first), kept while they fit the token budget. Long
/// records are therefore cut by relevance, not by position.
/// </summary>
public static partial class EvidenceSelection
{
    /// <summary>
    /// A rough count for when no tokenizer is at hand: about 4 characters per token, as BPE tokenizers give on Spanish.
    /// </summary>
    public static int ApproximateTokens(string text) => (text.Length + 3) / 4;

    public static IReadOnlyList<EvidenceSentence> Sentences(IEnumerable<SummaryNote> notes, DrugVocabulary drugs) =>
        notes
            .SelectMany(note =>
                SplitSentences(note.Text)
                    .Select(sentence => new EvidenceSentence(
                        sentence,
                        note.When,
                        note.Source,
                        MentionReader.Read(sentence),
                        drugs.Find(sentence)
                    ))
            )
            .ToList();

    public static IReadOnlyList<EvidenceSentence> Select(
        IEnumerable<SummaryNote> notes,
        DrugVocabulary drugs,
        int tokenBudget,
        Func<string, int>? countTokens = null
    )
    {
        countTokens ??= ApproximateTokens;
        var ranked = Sentences(notes, drugs)
            .Where(s => s.IsEvidence)
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
    /// Relevance to HF: each concept once, weighted by how specific it is for HF (ESC 2021 Table 5: orthopnoea, PND,
    /// raised jugular pressure and crackles above breathlessness, oedema and fatigue), its strongest mention counting
    /// fully when affirmed, half when hedged or past, a quarter when denied, hypothetical or a relative's (a
    /// documented absence still informs); plus 2 for a drug that points at HF.
    /// </summary>
    public static double Relevance(IReadOnlyList<ClinicalMention> mentions, IReadOnlyList<DrugMention> drugs) =>
        mentions.GroupBy(m => m.Concept).Sum(g => g.Max(m => Weight(m.Concept) * Share(m.Assertion)))
        + (drugs.Any(d => d.SuggestsHeartFailure) ? 2 : 0);

    private static int Weight(ClinicalConcept concept) =>
        concept switch
        {
            ClinicalConcept.HeartFailure or ClinicalConcept.RaisedJugularPressure => 5,
            ClinicalConcept.Orthopnoea or ClinicalConcept.ParoxysmalNocturnalDyspnoea or ClinicalConcept.Crackles => 4,
            ClinicalConcept.AtrialFibrillation => 2,
            ClinicalConcept.Nocturia or ClinicalConcept.Fatigue => 1,
            _ => 3,
        };

    private static double Share(Assertion assertion) =>
        assertion switch
        {
            Assertion.Affirmed => 1,
            Assertion.Hedged or Assertion.Historical => 0.5,
            _ => 0.25,
        };

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
