using System.Text.RegularExpressions;

namespace Clinical.Models.Training.Baselines;

/// <summary>
/// The literal baseline: a note is positive when it mentions heart failure at all — "insuficiencia
/// cardiaca/cardíaca" (any case) or the capitalised abbreviations "IC"/"ICC" — whatever the context.
/// </summary>
public static partial class KeywordBaseline
{
    public static double Score(string text) => Mention().IsMatch(text) ? 1 : 0;

    [GeneratedRegex(@"(?i:insuficiencia\s+card[ií]aca)|\bICC?\b", RegexOptions.CultureInvariant)]
    internal static partial Regex Mention();
}
