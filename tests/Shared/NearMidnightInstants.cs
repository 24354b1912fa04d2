using System.Globalization;

namespace Clinical.Tests;

/// <summary>
/// FHIR instants near midnight whose recorded day differs from their UTC day, with the recorded day: the cases that
/// pin the one calendar-day rule in Clinical.Fhir and its mirror in Clinical.Models.
/// </summary>
internal static class NearMidnightInstants
{
    public static TheoryData<string, string> Cases =>
        new()
        {
            // Half past midnight in Madrid (CET) is still the evening before in UTC.
            { "2024-03-13T00:30:00+01:00", "2024-03-13" },
            // Summer time (CEST): 01:59 local is 23:59 UTC the day before.
            { "2024-07-01T01:59:00+02:00", "2024-07-01" },
            // West of Greenwich the other way round: 23:30 local is already the next day in UTC.
            { "2024-03-12T23:30:00-05:00", "2024-03-12" },
            // In UTC itself both rules agree.
            { "2024-03-12T23:59:59Z", "2024-03-12" },
        };

    public static DateTimeOffset Instant(string literal) =>
        DateTimeOffset.Parse(literal, CultureInfo.InvariantCulture, DateTimeStyles.None);

    public static DateOnly Day(string literal) =>
        DateOnly.ParseExact(literal, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
