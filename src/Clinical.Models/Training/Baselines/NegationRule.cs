using System.Text.RegularExpressions;

namespace Clinical.Models.Training.Baselines;

/// <summary>
/// A NegEx-style rule (Chapman et al., 2001) for Spanish: each heart-failure mention is affirmed unless,
/// within its sentence, a negation trigger ("sin", "no", "niega", "no presenta", "descarta", "ausencia
/// de", "negativo para") or a hypothetical/conditional trigger ("riesgo de", "en caso de", "si
/// presenta", "prevención") stands in the six words before it, a post-trigger ("descartada",
/// "negativo") follows it, or the sentence is about a relative ("padre", "madre", "hermano",
/// "antecedentes familiares"). A service name ("Unidad de Insuficiencia Cardiaca") or an "IC" that is
/// a flutter type or a cardiac index is not a mention. Uncertain mentions ("probable", "posible", "sospecha de", "a
/// descartar")
/// score one half. The note's score is its strongest mention: 1 affirmed, 0.5 uncertain, 0 none.
/// </summary>
public static partial class NegationRule
{
    private const int WindowWords = 6;

    public static double Score(string text)
    {
        double best = 0;
        foreach (var sentence in Sentences().Split(text))
        {
            foreach (Match mention in Mention().Matches(sentence))
            {
                var before = string.Join(
                        ' ',
                        Words().Matches(sentence[..mention.Index]).Select(m => m.Value).TakeLast(WindowWords)
                    )
                    .ToLowerInvariant();
                var after = string.Join(
                        ' ',
                        Words().Matches(sentence[(mention.Index + mention.Length)..]).Select(m => m.Value).Take(3)
                    )
                    .ToLowerInvariant();
                var score =
                    NotAboutThePatient().IsMatch(before)
                    || Negated().IsMatch(before)
                    || Hypothetical().IsMatch(before)
                    || PostNegation().IsMatch(after)
                    || Familial().IsMatch(sentence)
                        ? 0
                    : Uncertain().IsMatch(before) ? 0.5
                    : 1;
                best = Math.Max(best, score);
                if (best >= 1)
                    return 1;
            }
        }
        return best;
    }

    [GeneratedRegex(
        @"(?i:insuficiencia\s+card[ií]aca|fallo\s+card[ií]aco|"
            + @"descompensaci[oó]n\s+card[ií]aca|insuficiencia\s+ventricular)|\bICC?\b|\bIC[ADI]\b",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex Mention();

    [GeneratedRegex(@"[.;\n]+\s*|\s*\n\s*", RegexOptions.CultureInvariant)]
    private static partial Regex Sentences();

    [GeneratedRegex(@"\w+", RegexOptions.CultureInvariant)]
    private static partial Regex Words();

    [GeneratedRegex(
        @"\b(sin|no|niega|negaba|descarta|descartan|descartó|descartándose|ausencia de|negativo para|libre de|ni)\b",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex Negated();

    [GeneratedRegex(
        @"\b(riesgo de|en caso de|si presenta|si aparece|prevenir|prevención|evitar|desarrollar)\b",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex Hypothetical();

    [GeneratedRegex(
        @"\b(probable|posible|sospecha|descartar|sugestiv[oa]|compatible con|orientad[oa])\b",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex Uncertain();

    [GeneratedRegex(
        @"\b(unidad|consultas?|servicio|programa) de$|\b(flutter auricular|flutter|[ií]ndice)$",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex NotAboutThePatient();

    [GeneratedRegex(@"^\W*(descartad[oa]|negativ[oa]|no confirmad[oa]|improbable)\b", RegexOptions.CultureInvariant)]
    private static partial Regex PostNegation();

    [GeneratedRegex(
        @"(?i:\b(padre|madre|herman[oa]s?|abuel[oa]s?|hij[oa]s?|t[ií][oa]s?|familiar(es)?|antecedentes familiares)\b)",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex Familial();
}
