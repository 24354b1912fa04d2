using System.Globalization;
using System.Text.RegularExpressions;

namespace Clinical.Models.Summaries;

public enum GroundingMode
{
    /// <summary>Sentences with an unsupported claim are left out of the summary.</summary>
    Remove,

    /// <summary>
    /// Sentences with an unsupported claim stay, followed by <see cref="GroundingCheck.UnsupportedMark"/>.
    /// </summary>
    Mark,
}

public enum ClaimKind
{
    Number,
    Date,
    Drug,
}

/// <summary>
/// A checkable statement in a summary: a number, a date or a drug name, with the sentence that holds it.
/// </summary>
public sealed record Claim(ClaimKind Kind, string Text, string Sentence);

/// <summary>
/// The summary after the check, and what was checked: every claim and the ones the input does not support.
/// </summary>
public sealed record GroundingReport(
    string Text,
    int ClaimsChecked,
    IReadOnlyList<Claim> FailedClaims,
    int SentencesRemoved,
    GroundingMode Mode
)
{
    public int ClaimsFailed => FailedClaims.Count;
}

/// <summary>
/// Every number (decimal comma and thousands dot aware: "1.450" = 1450, "38,5" = 38.5), date (dd/mm/yyyy, yyyy-mm-dd,
/// "12 de marzo de 2026", "marzo de 2026", Catalan, Galician and Basque month names) and drug name (as the summariser's
/// <see cref="DrugVocabulary"/> knows them) in a summary must be found in the input it summarises: note texts,
/// values, diagnoses, medications and their dates. A number is supported when a source value rounds to it at the
/// precision written (870 for 870.23 pg/mL). Sentences that fail are removed or marked, as configured.
/// </summary>
public static partial class GroundingCheck
{
    public const string UnsupportedMark = "[⚠ no verificado]";

    public static GroundingReport Apply(
        string summary,
        SummaryInput input,
        DrugVocabulary drugs,
        GroundingMode mode = GroundingMode.Remove
    )
    {
        var source = GroundingSource.From(input, drugs);
        var checkedClaims = 0;
        var failed = new List<Claim>();
        var removed = 0;
        var lines = new List<string>();
        foreach (var line in summary.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var kept = new List<string>();
            var sentences = SentenceBreak().Split(line).Where(s => s.Trim().Length > 0).ToList();
            foreach (var sentence in sentences)
            {
                var claims = Claims(sentence, drugs);
                checkedClaims += claims.Count;
                var unsupported = claims.Where(c => !source.Supports(c)).ToList();
                failed.AddRange(unsupported);
                if (unsupported.Count == 0)
                    kept.Add(sentence);
                else if (mode == GroundingMode.Mark)
                    kept.Add($"{sentence} {UnsupportedMark}");
                else
                    removed++;
            }
            if (sentences.Count == 0 || kept.Count > 0)
                lines.Add(string.Join(' ', kept));
        }
        var text = MultipleBlankLines().Replace(string.Join('\n', lines), "\n\n").Trim();
        return new GroundingReport(text, checkedClaims, failed, removed, mode);
    }

    /// <summary>The claims in a piece of text: dates first, then numbers outside dates, then drug names.</summary>
    public static IReadOnlyList<Claim> Claims(string sentence, DrugVocabulary drugs)
    {
        var claims = new List<Claim>();
        var rest = sentence;
        foreach (var (text, _) in ClinicalDates.Find(sentence))
        {
            claims.Add(new Claim(ClaimKind.Date, text, sentence));
            rest = rest.Replace(text, new string(' ', text.Length), StringComparison.Ordinal);
        }
        claims.AddRange(ClinicalNumbers.Find(rest).Select(n => new Claim(ClaimKind.Number, n.Text, sentence)));
        claims.AddRange(drugs.Find(sentence).Select(d => new Claim(ClaimKind.Drug, d.Text, sentence)));
        return claims;
    }

    private sealed class GroundingSource
    {
        private readonly List<ClinicalNumber> _numbers = [];
        private readonly HashSet<DateOnly> _days = [];
        private readonly HashSet<(int Year, int Month)> _months = [];
        private readonly HashSet<string> _drugs = new(StringComparer.Ordinal);
        private DrugVocabulary _vocabulary = DrugVocabulary.Empty;

        public static GroundingSource From(SummaryInput input, DrugVocabulary drugs)
        {
            var source = new GroundingSource { _vocabulary = drugs };
            var texts = input
                .Notes.Select(n => n.Text)
                .Concat(input.Diagnoses.Select(d => d.Display))
                .Concat(input.Medications.Select(m => m.Display))
                .ToList();
            foreach (var text in texts)
            {
                var rest = text;
                foreach (var (found, date) in ClinicalDates.Find(text))
                {
                    source.AddDate(date);
                    rest = rest.Replace(found, new string(' ', found.Length), StringComparison.Ordinal);
                }
                source._numbers.AddRange(ClinicalNumbers.Find(rest));
                foreach (var drug in drugs.Find(text))
                    source._drugs.Add(drug.Name);
            }
            foreach (var value in input.KeyValues)
                source._numbers.Add(
                    new ClinicalNumber(value.Value.ToString(CultureInfo.InvariantCulture), value.Value, 28)
                );
            var dates = input
                .Notes.Select(n => n.When)
                .Concat(input.KeyValues.Select(v => v.When))
                .Concat(input.Diagnoses.Select(d => d.When))
                .Concat(input.Medications.Select(m => m.When))
                .Append(input.AsOf);
            foreach (var date in dates.OfType<DateOnly>())
                source.AddDate(new ClinicalDate(date, HasDay: true));
            return source;
        }

        public bool Supports(Claim claim) =>
            claim.Kind switch
            {
                ClaimKind.Number => ClinicalNumbers.Parse(claim.Text) is { } number
                    && _numbers.Any(n => n.Rounds(number)),
                ClaimKind.Date => ClinicalDates
                    .Find(claim.Text)
                    .All(d =>
                        d.Date.HasDay
                            ? _days.Contains(d.Date.Day)
                            : _months.Contains((d.Date.Day.Year, d.Date.Day.Month))
                    ),
                ClaimKind.Drug => _vocabulary.Find(claim.Text).All(d => _drugs.Contains(d.Name)),
                _ => false,
            };

        private void AddDate(ClinicalDate date)
        {
            if (date.HasDay)
                _days.Add(date.Day);
            _months.Add((date.Day.Year, date.Day.Month));
            _numbers.Add(new ClinicalNumber(date.Day.Year.ToString(CultureInfo.InvariantCulture), date.Day.Year, 0));
        }
    }

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex MultipleBlankLines();
}
