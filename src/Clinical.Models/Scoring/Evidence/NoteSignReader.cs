using System.Text.RegularExpressions;

namespace Clinical.Models.Scoring.Evidence;

/// <summary>
/// Finds HF signs in a note and decides for each whether it is affirmed, denied or hedged, NegEx style:
/// a cue in the same clause before the term (a clause ends at . ; : or a contrasting word), or a
/// Basque partitive / trailing denial after it. Overlapping terms keep the longest.
/// </summary>
public static class NoteSignReader
{
    private const int ScopeChars = 60;

    public static IReadOnlyList<SignMention> Read(string text, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<(HeartFailureSign Sign, Match Match)>();
        foreach (var (sign, pattern) in SignLexicon.Terms)
        foreach (Match match in pattern.Matches(text))
            found.Add((sign, match));

        var kept = new List<(HeartFailureSign Sign, Match Match)>();
        foreach (var candidate in found.OrderByDescending(f => f.Match.Length).ThenBy(f => f.Match.Index))
        {
            if (
                kept.Any(k =>
                    candidate.Match.Index < k.Match.Index + k.Match.Length
                    && k.Match.Index < candidate.Match.Index + candidate.Match.Length
                )
            )
                continue;
            kept.Add(candidate);
        }
        return kept.OrderBy(k => k.Match.Index)
            .Select(k => new SignMention(
                k.Sign,
                Assert(text, k.Match),
                k.Match.Index,
                k.Match.Length,
                k.Match.Value,
                language
            ))
            .ToList();
    }

    private static Assertion Assert(string text, Match term)
    {
        var before = Clause(text, term.Index);
        var after = text[(term.Index + term.Length)..Math.Min(text.Length, term.Index + term.Length + 30)];
        if (
            SignLexicon.PartitiveNegation.IsMatch(term.Value)
            || SignLexicon.NegationAfter.IsMatch(after)
            || LastCueReaches(before, SignLexicon.NegationBefore)
        )
            return Assertion.Negated;
        if (LastCueReaches(before, SignLexicon.Hedge) || SignLexicon.HedgeAfter.IsMatch(after))
            return Assertion.Uncertain;
        return Assertion.Present;
    }

    private static string Clause(string text, int end)
    {
        var start = Math.Max(0, end - ScopeChars);
        var window = text[start..end];
        var cut = window.LastIndexOfAny(['.', ';', ':', '\n']);
        return cut < 0 ? window : window[(cut + 1)..];
    }

    private static bool LastCueReaches(string before, Regex cue)
    {
        var cues = cue.Matches(before);
        if (cues.Count == 0)
            return false;
        var last = cues[^1];
        var between = before[(last.Index + last.Length)..];
        return !SignLexicon.ScopeBreak.IsMatch(between);
    }
}
