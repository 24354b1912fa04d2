namespace Clinical.Models.Scoring;

/// <summary>
/// The calendar day of a RiskInput instant: the day as recorded, at the value's own UTC offset
/// (2024-03-13T00:30:00+01:00 falls on 13 March, although in UTC it is still 12 March). The same rule as
/// Clinical.Fhir.Extraction.CalendarDay, which states why; this project cannot reference that one, so the rule is
/// written here once more and both are pinned by the same near-midnight cases.
/// </summary>
internal static class CalendarDay
{
    public static DateOnly Of(DateTimeOffset instant) => DateOnly.FromDateTime(instant.DateTime);
}
