using System.Globalization;
using System.Text.RegularExpressions;

namespace Clinical.Models.Summaries;

/// <summary>A date found in text; HasDay is false for "marzo de 2026" (month precision).</summary>
public readonly record struct ClinicalDate(DateOnly Day, bool HasDay);

/// <summary>
/// Dates as notes and summaries write them: dd/mm/yyyy (also with - or . and two-digit years), yyyy-mm-dd,
/// "12 de marzo de 2026", "12 de març del 2026", "d'abril de 2026", "marzo de 2026", Basque "2026ko martxoaren 12a".
/// </summary>
public static partial class ClinicalDates
{
    private static readonly string[][] MonthNames =
    [
        ["enero", "gener", "xaneiro", "urtarril"],
        ["febrero", "febrer", "febreiro", "otsail"],
        ["marzo", "març", "martxo"],
        ["abril", "apiril"],
        ["mayo", "maig", "maio", "maiatz"],
        ["junio", "juny", "xuño", "ekain"],
        ["julio", "juliol", "xullo", "uztail"],
        ["agosto", "agost", "abuztu"],
        ["septiembre", "setiembre", "setembre", "setembro", "irail"],
        ["octubre", "outubro", "urri"],
        ["noviembre", "novembre", "novembro", "azaro"],
        ["diciembre", "desembre", "decembro", "abendu"],
    ];

    private static readonly string MonthPattern = string.Join(
        '|',
        MonthNames.SelectMany(m => m).OrderByDescending(m => m.Length)
    );

    private static readonly Regex Written = new(
        $@"(?<![\p{{L}}\p{{N}}])(?:(?<day>\d{{1,2}}) d(?:e |')(?:l )?)?(?<month>{MonthPattern})"
            + @" (?:de|del|do) (?<year>\d{4})(?!\d)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
    );

    private static readonly Regex Basque = new(
        $@"(?<![\p{{N}}])(?<year>\d{{4}})(?:ko|eko) (?<month>{MonthPattern})"
            + @"(?:a|aren (?<day>\d{1,2})(?:ean|an|a)?)?(?![\p{L}])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
    );

    public static IReadOnlyList<(string Text, ClinicalDate Date)> Find(string text)
    {
        var found = new List<(int Index, string Text, ClinicalDate Date)>();
        void Add(Match match, ClinicalDate? date)
        {
            if (
                date is { } d
                && !found.Any(f => match.Index < f.Index + f.Text.Length && f.Index < match.Index + match.Length)
            )
                found.Add((match.Index, match.Value, d));
        }
        foreach (Match m in Iso().Matches(text))
            Add(m, Day(m.Groups["y"].Value, m.Groups["m"].Value, m.Groups["d"].Value));
        foreach (Match m in Numeric().Matches(text))
            Add(m, Day(m.Groups["y"].Value, m.Groups["m"].Value, m.Groups["d"].Value));
        foreach (Match m in Written.Matches(text))
            Add(m, Named(m));
        foreach (Match m in Basque.Matches(text))
            Add(m, Named(m));
        return found.OrderBy(f => f.Index).Select(f => (f.Text, f.Date)).ToList();
    }

    private static ClinicalDate? Named(Match match)
    {
        var name = match.Groups["month"].Value.ToLowerInvariant();
        var month = Array.FindIndex(MonthNames, names => names.Contains(name)) + 1;
        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (month == 0)
            return null;
        if (!match.Groups["day"].Success)
            return new ClinicalDate(new DateOnly(year, month, 1), HasDay: false);
        var day = int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture);
        return day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new ClinicalDate(new DateOnly(year, month, day), HasDay: true)
            : null;
    }

    private static ClinicalDate? Day(string yearText, string monthText, string dayText)
    {
        var year = int.Parse(yearText, CultureInfo.InvariantCulture);
        if (yearText.Length == 2)
            year += year < 70 ? 2000 : 1900;
        var month = int.Parse(monthText, CultureInfo.InvariantCulture);
        var day = int.Parse(dayText, CultureInfo.InvariantCulture);
        return
            month is >= 1 and <= 12 && year is >= 1 and <= 9999 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new ClinicalDate(new DateOnly(year, month, day), HasDay: true)
            : null;
    }

    [GeneratedRegex(@"(?<![\p{N}/.-])(?<y>\d{4})[-/](?<m>\d{1,2})[-/](?<d>\d{1,2})(?![\p{N}])")]
    private static partial Regex Iso();

    [GeneratedRegex(@"(?<![\p{N}/.-])(?<d>\d{1,2})[/.-](?<m>\d{1,2})[/.-](?<y>\d{4}|\d{2})(?![\p{N}])")]
    private static partial Regex Numeric();
}
