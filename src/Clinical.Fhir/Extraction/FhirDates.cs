using System.Globalization;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Extraction;

internal static class FhirDates
{
    public static DateTimeOffset? Of(DataType? value) =>
        value switch
        {
            FhirDateTime dateTime => Parse(dateTime.Value),
            Period period => Parse(period.Start) ?? Parse(period.End),
            Instant instant => instant.Value,
            Date date => Parse(date.Value),
            FhirString text => Parse(text.Value),
            _ => null,
        };

    /// <summary>
    /// Parses FHIR date/dateTime literals (partial dates allowed: 2024, 2024-03, 2024-03-12, with time and zone).
    /// </summary>
    public static DateTimeOffset? Parse(string? literal)
    {
        if (string.IsNullOrWhiteSpace(literal))
            return null;
        string[] formats =
        [
            "yyyy",
            "yyyy-MM",
            "yyyy-MM-dd",
            "yyyy-MM-dd'T'HH:mm:ssK",
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
            "yyyy-MM-dd'T'HH:mmK",
        ];
        return DateTimeOffset.TryParseExact(
                literal,
                formats,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal,
                out var parsed
            )
                ? parsed
            : DateTimeOffset.TryParse(literal, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out parsed)
                ? parsed
            : null;
    }

    public static DateOnly? DateOf(string? literal) => CalendarDay.Of(Parse(literal));

    /// <summary>
    /// True when a fact dated <paramref name="when"/> was known on <paramref name="asOf"/> (undated facts are kept).
    /// </summary>
    public static bool KnownOn(DateTimeOffset? when, DateOnly asOf) =>
        when is null || CalendarDay.Of(when.Value) <= asOf;
}
