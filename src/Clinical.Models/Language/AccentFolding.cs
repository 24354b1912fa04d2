using System.Globalization;
using System.Text;

namespace Clinical.Models.Language;

/// <summary>
/// Text with accents removed and every whitespace character made a space, one character for one, so that positions
/// in the folded text are positions in the original ("cardíaca" → "cardiaca", "nictúria" → "nicturia",
/// "ingurxitación" → "ingurxitacion", "’" → "'"). Case is kept: abbreviations such as "IC" are case-sensitive.
/// </summary>
public static class AccentFolding
{
    private static readonly char[] Table = BuildTable();

    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Create(
            text.Length,
            text,
            static (span, source) =>
            {
                for (var i = 0; i < source.Length; i++)
                {
                    var c = source[i];
                    span[i] =
                        c < Table.Length ? Table[c]
                        : c is '\u2018' or '\u2019' ? '\''
                        : char.IsWhiteSpace(c) ? ' '
                        : c;
                }
            }
        );
    }

    private static char[] BuildTable()
    {
        // Latin-1 and Latin Extended-A cover the four languages' letters (á à ç è é í ï ñ ò ó ú ü, l·l).
        var table = new char[0x250];
        for (var i = 0; i < table.Length; i++)
        {
            var c = (char)i;
            if (char.IsWhiteSpace(c))
            {
                table[i] = ' ';
                continue;
            }
            var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            table[i] =
                decomposed.Length > 1
                && char.IsLetter(decomposed[0])
                && decomposed.Skip(1).All(m => CharUnicodeInfo.GetUnicodeCategory(m) == UnicodeCategory.NonSpacingMark)
                    ? decomposed[0]
                    : c;
        }
        return table;
    }
}
