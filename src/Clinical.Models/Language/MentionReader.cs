using System.Text;
using System.Text.RegularExpressions;

namespace Clinical.Models.Language;

/// <summary>
/// The clinical-language layer: finds heart-failure concepts in a note and decides how each stands, NegEx style
/// (Chapman et al., J Biomed Inform 2001;34:301) with the ConText extensions for hypothetical, historical and
/// family mentions (Harkema et al., J Biomed Inform 2009;42:839):
/// <list type="number">
/// <item>Concepts are matched with every language's lexicon at once (notes mix Castilian into Catalan, Galician and
/// Basque, and their language tag is often missing), on accent-folded text; overlapping matches keep the longest,
/// and matches inside a <see cref="LanguageLexicon.NotMentions"/> phrase are dropped.</item>
/// <item>Triggers are matched the same way, longest first, pseudo-triggers included so that they hide the shorter
/// triggers inside them, and then ignored.</item>
/// <item>A trigger before a concept reaches it within its window of words (six for negation and uncertainty, as in
/// NegEx; eight for a relative; the whole clause for the past) unless the sentence ends (. ; ? ! or a line break), a
/// colon or a terminator ("pero", "refiere", "con") comes between. A trigger after a concept reaches back two words
/// and stops at a comma as well.</item>
/// </list>
/// The first reading that applies wins: family, negated, hypothetical, hedged, historical, else affirmed.
/// </summary>
public static class MentionReader
{
    private const int AfterWindow = 2;

    /// <summary>The languages read: Castilian, Catalan, Galician and Basque.</summary>
    public static IReadOnlyList<LanguageLexicon> Lexicons { get; } =
    [SpanishLexicon.Lexicon, CatalanLexicon.Lexicon, GalicianLexicon.Lexicon, BasqueLexicon.Lexicon];

    private static readonly Lazy<Compiled> Lexicon = new(() => Compiled.From(Lexicons));

    public static IReadOnlyList<ClinicalMention> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
            return [];
        var lexicon = Lexicon.Value;
        var folded = AccentFolding.Fold(text);
        var concepts = lexicon.FindConcepts(folded);
        if (concepts.Count == 0)
            return [];
        var cues = lexicon.FindCues(folded, concepts);
        var breaks = SentenceBreaks(text);
        return concepts
            .Select(c =>
            {
                var (assertion, cue) = lexicon.Assert(folded, c, cues, breaks);
                return new ClinicalMention(
                    c.Concept,
                    assertion,
                    c.Start,
                    c.Length,
                    text.Substring(c.Start, c.Length),
                    cue
                );
            })
            .ToList();
    }

    /// <summary>Characters that end a sentence: . ; ? ! before a space or the end of the text, and line breaks.
    /// </summary>
    private static bool[] SentenceBreaks(string text)
    {
        var breaks = new bool[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            breaks[i] =
                c is '\n' or '\r'
                || (c is '.' or ';' or '?' or '!' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])));
        }
        return breaks;
    }

    internal enum CueKind
    {
        NegatedBefore,
        NegatedAfter,
        HedgedBefore,
        HedgedAfter,
        HypotheticalBefore,
        HypotheticalAfter,
        HistoricalBefore,
        HistoricalAfter,
        FamilyBefore,
        FamilyAfter,
        Pseudo,
        Terminator,
    }

    private readonly record struct Span(ClinicalConcept Concept, int Start, int Length, bool Absent)
    {
        public int End => Start + Length;
    }

    private readonly record struct Cue(CueKind Kind, int Start, int Length)
    {
        public int End => Start + Length;
    }

    private sealed class Compiled
    {
        private static readonly Regex Word = new(@"[\p{L}\p{N}]+", RegexOptions.Compiled);

        private readonly List<(ClinicalConcept Concept, Phrases Pattern, bool Absent)> _concepts = [];
        private readonly List<(CueKind Kind, Phrases Pattern)> _cues = [];
        private Phrases? _notMentions;
        private string[] _negatingSuffixes = [];

        public static Compiled From(IReadOnlyList<LanguageLexicon> lexicons)
        {
            var compiled = new Compiled();
            foreach (var concept in Enum.GetValues<ClinicalConcept>())
            {
                var named = lexicons.SelectMany(l => l.Concepts.GetValueOrDefault(concept, [])).ToList();
                if (named.Count > 0)
                    compiled._concepts.Add((concept, new Phrases(named), false));
                var absent = lexicons.SelectMany(l => l.Absent.GetValueOrDefault(concept, [])).ToList();
                if (absent.Count > 0)
                    compiled._concepts.Add((concept, new Phrases(absent), true));
            }
            var notMentions = lexicons.SelectMany(l => l.NotMentions).ToList();
            compiled._notMentions = notMentions.Count > 0 ? new Phrases(notMentions) : null;
            foreach (var kind in Enum.GetValues<CueKind>())
            {
                var triggers = lexicons.SelectMany(l => Triggers(l, kind)).ToList();
                if (triggers.Count > 0)
                    compiled._cues.Add((kind, new Phrases(triggers)));
            }
            compiled._negatingSuffixes = lexicons.SelectMany(l => l.NegatingSuffixes).Distinct().ToArray();
            return compiled;
        }

        public List<Span> FindConcepts(string folded)
        {
            var excluded = _notMentions?.Matches(folded).Select(m => (m.Start, End: m.Start + m.Length)).ToList() ?? [];
            var found = new List<Span>();
            foreach (var (concept, pattern, absent) in _concepts)
            foreach (var (start, length) in pattern.Matches(folded))
            {
                if (!excluded.Any(e => start < e.End && e.Start < start + length))
                    found.Add(new Span(concept, start, length, absent));
            }
            var kept = new List<Span>();
            foreach (var candidate in found.OrderByDescending(f => f.Length).ThenBy(f => f.Start))
                if (!kept.Any(k => candidate.Start < k.End && k.Start < candidate.End))
                    kept.Add(candidate);
            kept.Sort((a, b) => a.Start.CompareTo(b.Start));
            return kept;
        }

        public List<Cue> FindCues(string folded, List<Span> concepts)
        {
            var found = new List<Cue>();
            foreach (var (kind, pattern) in _cues)
            foreach (var (start, length) in pattern.Matches(folded))
                if (!concepts.Any(c => start < c.End && c.Start < start + length))
                    found.Add(new Cue(kind, start, length));
            var kept = new List<Cue>();
            foreach (var candidate in found.OrderByDescending(f => f.Length).ThenBy(f => f.Start))
            {
                // A phrase may trigger both ways (Basque "ez du"): the same span keeps every kind it matched.
                var overlaps = kept.Where(k => candidate.Start < k.End && k.Start < candidate.End);
                if (overlaps.All(k => k.Start == candidate.Start && k.Length == candidate.Length))
                    kept.Add(candidate);
            }
            kept.RemoveAll(c => c.Kind == CueKind.Pseudo);
            return kept;
        }

        public (Assertion Assertion, string? Cue) Assert(string folded, Span concept, List<Cue> cues, bool[] breaks)
        {
            var text = folded.Substring(concept.Start, concept.Length);
            Cue? Reaching(CueKind before, CueKind after) =>
                cues.Where(c => c.Kind == before && ReachesForward(folded, c, concept, cues, breaks, Window(before)))
                    .Select(c => (Cue?)c)
                    .LastOrDefault()
                ?? cues.Where(c => c.Kind == after && ReachesBack(folded, c, concept, cues, breaks))
                    .Select(c => (Cue?)c)
                    .FirstOrDefault();
            string Words(Cue cue) => folded.Substring(cue.Start, cue.Length);

            if (Reaching(CueKind.FamilyBefore, CueKind.FamilyAfter) is { } family)
                return (Assertion.Family, Words(family));
            if (concept.Absent)
                return (Assertion.Negated, text);
            if (
                _negatingSuffixes.FirstOrDefault(s => text.EndsWith(s, StringComparison.OrdinalIgnoreCase)) is
                { } suffix
            )
                return (Assertion.Negated, "-" + suffix);
            if (Reaching(CueKind.NegatedBefore, CueKind.NegatedAfter) is { } negation)
                return (Assertion.Negated, Words(negation));
            if (Reaching(CueKind.HypotheticalBefore, CueKind.HypotheticalAfter) is { } hypothesis)
                return (Assertion.Hypothetical, Words(hypothesis));
            if (Reaching(CueKind.HedgedBefore, CueKind.HedgedAfter) is { } hedge)
                return (Assertion.Hedged, Words(hedge));
            if (Reaching(CueKind.HistoricalBefore, CueKind.HistoricalAfter) is { } past)
                return (Assertion.Historical, Words(past));
            return (Assertion.Affirmed, null);
        }

        private static int Window(CueKind kind) =>
            kind switch
            {
                CueKind.HistoricalBefore => int.MaxValue,
                CueKind.FamilyBefore => 8,
                _ => 6,
            };

        private static bool ReachesForward(
            string folded,
            Cue cue,
            Span concept,
            List<Cue> cues,
            bool[] breaks,
            int window
        ) =>
            cue.End <= concept.Start
            && Open(folded, cue.End, concept.Start, cues, breaks, ":")
            && WordCount(folded, cue.End, concept.Start) <= window;

        private bool ReachesBack(string folded, Cue cue, Span concept, List<Cue> cues, bool[] breaks) =>
            cue.Start >= concept.End
            && Open(folded, concept.End, cue.Start, cues, breaks, ":,")
            && WordCount(folded, concept.End, cue.Start) <= AfterWindow
            && !Word.Matches(folded[concept.End..cue.Start])
                .Any(w => _negatingSuffixes.Any(s => w.Value.EndsWith(s, StringComparison.OrdinalIgnoreCase)));

        /// <summary>No sentence end, no stop character and no terminator between two positions.</summary>
        private static bool Open(string folded, int from, int to, List<Cue> cues, bool[] breaks, string stops)
        {
            for (var i = from; i < to; i++)
                if (breaks[i] || stops.Contains(folded[i], StringComparison.Ordinal))
                    return false;
            return !cues.Any(c => c.Kind == CueKind.Terminator && c.Start >= from && c.End <= to);
        }

        private static int WordCount(string folded, int from, int to) =>
            to <= from ? 0 : Word.Count(folded.AsSpan(from, to - from));

        private static string[] Triggers(LanguageLexicon lexicon, CueKind kind) =>
            kind switch
            {
                CueKind.NegatedBefore => lexicon.NegatedBefore,
                CueKind.NegatedAfter => lexicon.NegatedAfter,
                CueKind.HedgedBefore => lexicon.HedgedBefore,
                CueKind.HedgedAfter => lexicon.HedgedAfter,
                CueKind.HypotheticalBefore => lexicon.HypotheticalBefore,
                CueKind.HypotheticalAfter => lexicon.HypotheticalAfter,
                CueKind.HistoricalBefore => lexicon.HistoricalBefore,
                CueKind.HistoricalAfter => lexicon.HistoricalAfter,
                CueKind.FamilyBefore => lexicon.FamilyBefore,
                CueKind.FamilyAfter => lexicon.FamilyAfter,
                CueKind.Pseudo => lexicon.Pseudo,
                CueKind.Terminator => lexicon.Terminators,
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
            };
    }

    /// <summary>
    /// Many phrases (regular-expression fragments) matched leftmost-longest, as NegEx matches its trigger lists: one
    /// alternation finds where any phrase starts, then every phrase is tried at that position and the longest wins
    /// (a .NET alternation alone stops at the first alternative that matches, which may be a shorter one). Phrases
    /// match at word boundaries where they begin or end with a letter or digit, and each space in a phrase matches a
    /// run of spaces.
    /// </summary>
    private sealed class Phrases
    {
        private const string Before = @"(?:(?<![\p{L}\p{N}])|(?![\p{L}\p{N}]))";
        private const string After = @"(?:(?![\p{L}\p{N}])|(?<![\p{L}\p{N}]))";
        private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

        private readonly Regex _any;
        private readonly Regex[] _each;

        public Phrases(IEnumerable<string> fragments)
        {
            var bodies = fragments.Distinct(StringComparer.Ordinal).Select(f => $"(?:{SpacesAsRuns(f)})").ToList();
            _any = new Regex($"{Before}(?:{string.Join('|', bodies)}){After}", Options | RegexOptions.Compiled);
            _each = bodies.Select(b => new Regex($@"\G{Before}{b}{After}", Options)).ToArray();
        }

        public IEnumerable<(int Start, int Length)> Matches(string text)
        {
            for (var match = _any.Match(text); match.Success; match = _any.Match(text, match.Index + 1))
            {
                var longest = _each.Max(p => p.Match(text, match.Index) is { Success: true } m ? m.Length : 0);
                if (longest > 0)
                    yield return (match.Index, longest);
                if (match.Index + 1 >= text.Length)
                    yield break;
            }
        }

        private static string SpacesAsRuns(string fragment)
        {
            var result = new StringBuilder(fragment.Length + 8);
            var inClass = false;
            for (var i = 0; i < fragment.Length; i++)
            {
                var c = fragment[i];
                if (c == '\\' && i + 1 < fragment.Length)
                {
                    result.Append(c).Append(fragment[++i]);
                    continue;
                }
                if (c == '[')
                    inClass = true;
                else if (c == ']')
                    inClass = false;
                result.Append(c == ' ' && !inClass ? "(?: +)" : c.ToString());
            }
            return result.ToString();
        }
    }
}
