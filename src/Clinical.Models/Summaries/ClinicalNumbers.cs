using System.Globalization;
using System.Text.RegularExpressions;

namespace Clinical.Models.Summaries;

/// <summary>A number as written, its value and how many decimals it was written with.</summary>
public sealed record ClinicalNumber(string Text, decimal Value, int Decimals)
{
    /// <summary>True when this (source) value, rounded to the claim's written precision, is the claim.</summary>
    public bool Rounds(ClinicalNumber claim) =>
        decimal.Round(Value, Math.Min(claim.Decimals, 28), MidpointRounding.AwayFromZero) == claim.Value;
}

/// <summary>
/// Numbers as Spanish clinical text writes them: decimal comma ("38,5"), thousands dot ("1.450" = 1450, a dot
/// followed by exactly three digits), and a decimal dot otherwise ("102.9"). Digits glued to a preceding letter
/// (DM2, SatO2, T4) are part of a name, not numbers.
/// </summary>
public static partial class ClinicalNumbers
{
    public static IEnumerable<ClinicalNumber> Find(string text)
    {
        foreach (Match match in Number().Matches(text))
            if (Parse(match.Value) is { } number)
                yield return number;
    }

    public static ClinicalNumber? Parse(string text)
    {
        string normalised;
        int decimals;
        if (ThousandsDot().IsMatch(text))
        {
            var parts = text.Split(',');
            normalised = parts[0].Replace(".", "", StringComparison.Ordinal) + (parts.Length > 1 ? "." + parts[1] : "");
            decimals = parts.Length > 1 ? parts[1].Length : 0;
        }
        else
        {
            normalised = text.Replace(',', '.');
            var point = normalised.IndexOf('.', StringComparison.Ordinal);
            decimals = point < 0 ? 0 : normalised.Length - point - 1;
        }
        return decimal.TryParse(normalised, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? new ClinicalNumber(text, value, decimals)
            : null;
    }

    [GeneratedRegex(@"(?<![\p{L}\p{N}_])(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)(?!\d)")]
    private static partial Regex Number();

    [GeneratedRegex(@"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")]
    private static partial Regex ThousandsDot();
}
