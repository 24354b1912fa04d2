using System.Text.RegularExpressions;

namespace Clinical.Models.Summaries;

/// <summary>
/// An HF-relevant term matched in a sentence: its label, the matched text, its weight, and whether it is negated or
/// hedged. (The risk engine's evidence is <see cref="Scoring.Finding"/>; this is only a lexicon match.)
/// </summary>
public sealed record TermMatch(string Label, string Text, int Weight, bool Negated, bool Hedged);

/// <summary>
/// Heart-failure symptoms, signs and tests as Spanish, Catalan, Galician and Basque primary-care notes write
/// them (disnea/dispnea/arnasestua, ortopnea, DPN, edemas/edemes, crepitantes/crepitants, ingurgitación yugular,
/// ganancia/augment de pes…), weighted by how specific they are for HF (ESC 2021 Table 5: orthopnoea, PND,
/// raised jugular pressure and crackles above breathlessness, oedema and fatigue), with negation ("niega", "sin",
/// "no", "nega", "sense", "sen", "non", Basque "-rik ez", "ez du") and hedges ("probable", "a descartar").
/// </summary>
public static partial class HeartFailureTerms
{
    private sealed record Term(string Label, int Weight, Regex Pattern);

    private static readonly Term[] Terms =
    [
        new(
            "insuficiencia cardiaca",
            5,
            Words(
                @"insuficienci[ae]s? card[ií]acas?|insufici[èe]ncia card[ií]aca|bihotz[- ]gutxiegitasun\w*|"
                    + @"(?-i:ICC?|ICFE[rcmp]\w*)"
            )
        ),
        new(
            "ingurgitación yugular",
            5,
            Words(
                @"ingurgita\w* [yjx]ugular\w*|ingurxita\w* [yjx]ugular\w*|reflu[jx]o hepato[yjx]ugular|"
                    + @"reflux hepatojugular|(?-i:IVY|IY)"
            )
        ),
        new("ortopnea", 4, Words(@"ortopnea\w*|ortopneic\w*")),
        new(
            "disnea paroxística nocturna",
            4,
            Words(@"(?-i:DPN\w*)|dis?p?nea parox[ií]stica nocturna|dispnea nocturna|ofec a la nit")
        ),
        new("crepitantes", 4, Words(@"crepitante?s?|crepitants?|krepitante?\w*|estertores")),
        new("tercer ruido", 3, Words(@"tercer ruido|(?-i:3R)|galope")),
        new("disnea", 3, Words(@"disnea\w*|dispnea\w*|dispnoia|arnas[- ]?estu\w*|ofec\w*|ahogo|fatiga en caminar")),
        new(
            "edemas",
            3,
            Words(@"edemas?|edemes|edemak|edemarik|edema\w*|turmells inflats|tobillos hinchados|nocaut\w*")
        ),
        new(
            "ganancia de peso",
            3,
            Words(
                @"ganancia de (?:\d+ kg de )?peso|ganancia de \d+(?:[.,]\d+)? ?kg|aumento de (?:\d+ kg de )?peso|"
                    + @"augment de pes|ha guanyat pes|gañou peso|pisu[a-z]* (?:igoera|irabazi)\w*"
            )
        ),
        new(
            "NT-proBNP/BNP",
            3,
            Words(@"NT-?pro-?BNP|BNP|p[ée]ptidos? natriur[ée]tic\w*|" + @"p[èe]ptids? natriür[èe]tics?")
        ),
        new(
            "ecocardiograma/FEVI",
            3,
            Words(
                @"ecocardiogra\w*|ekokardiogra\w*|ecografía cardiaca|FEVI|FEVE|FE ?VI|fracci[óo]n de eyecci[óo]n|"
                    + @"fracció d'ejecció"
            )
        ),
        new("cardiomegalia", 3, Words(@"cardiomegali\w*|derrame pleural|vessament pleural")),
        new("diuréticos", 2, Words(@"furosemid\w*|torasemid\w*|diur[ée]tic\w*|diuretiko\w*")),
        new(
            "fibrilación auricular",
            2,
            Words(@"fibril·?laci[óo]n? auricular|fibril·lació auricular|(?-i:FA|FANV)|arritmia completa")
        ),
        new("nicturia", 1, Words(@"nict[úu]ria|nokturia\w*")),
        new("astenia", 1, Words(@"ast[eè]nia|cansancio|cansament|canseira|nekea?|neke\w*")),
    ];

    private static readonly Regex NegationBefore = new(
        @"\b(?:niega|nega|sin|sense|sen|no|non|ausencia de|absència de|no presenta|no refiere|no refereix|"
            + @"non refire|descarta|ez du|ez dago)\b[^.;:]*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
    );

    private static readonly Regex NegationAfter = new(
        @"^(?:rik)?\s*(?:ez\b|ukatzen\b)|^rik\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
    );

    private static readonly Regex Hedge = new(
        @"\b(?:probable|posible|sospecha|a descartar|descartar|dudos[oa]|possible|sospita|a descartar|"
            + @"susceptible|baliteke|litekeena)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
    );

    private static readonly Regex ClauseBreak = new(
        @"[.;:]|\b(?:pero|aunque|però|encara que|mais|pero|baina)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
    );

    /// <summary>Every HF term in a sentence, once per label, with negation read from its own clause.</summary>
    public static IReadOnlyList<TermMatch> Find(string sentence)
    {
        var matches = new List<TermMatch>();
        var taken = new List<(int Start, int End)>();
        foreach (var term in Terms)
        {
            foreach (Match match in term.Pattern.Matches(sentence))
            {
                if (taken.Any(t => match.Index < t.End && t.Start < match.Index + match.Length))
                    continue;
                if (matches.Any(f => f.Label == term.Label))
                    break;
                taken.Add((match.Index, match.Index + match.Length));
                var before = ClauseBefore(sentence, match.Index);
                var after = sentence[(match.Index + match.Length)..];
                var negated =
                    NegationBefore.IsMatch(WithinWords(before, 6)) || NegationAfter.IsMatch(after.TrimStart());
                matches.Add(new TermMatch(term.Label, match.Value, term.Weight, negated, Hedge.IsMatch(before)));
                break;
            }
        }
        return matches;
    }

    /// <summary>
    /// Relevance to HF: affirmed matches count fully, hedged ones half, negated ones a quarter (a documented absence
    /// still informs).
    /// </summary>
    public static double Relevance(IReadOnlyList<TermMatch> matches) =>
        matches.Sum(f =>
            f.Negated ? f.Weight * 0.25
            : f.Hedged ? f.Weight * 0.5
            : f.Weight
        );

    private static string ClauseBefore(string sentence, int index)
    {
        var before = sentence[..index];
        var breaks = ClauseBreak.Matches(before);
        return breaks.Count == 0 ? before : before[(breaks[^1].Index + breaks[^1].Length)..];
    }

    private static string WithinWords(string text, int words)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', parts.Skip(Math.Max(0, parts.Length - words)));
    }

    private static Regex Words(string alternatives) =>
        new(
            $@"(?<![\p{{L}}\p{{N}}])(?:{alternatives})(?![\p{{L}}\p{{N}}])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
        );
}
