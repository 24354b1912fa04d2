namespace Clinical.Fhir.Extraction;

/// <summary>
/// The one rule for the calendar day of a FHIR instant or dateTime: the day as recorded, at the value's own UTC
/// offset. 2024-03-13T00:30:00+01:00 falls on 13 March (in UTC it is still 12 March); 2024-03-12T23:30:00-05:00 on
/// 12 March. FHIR requires an offset whenever a time is given (R4 datatypes, dateTime and instant), and that offset is
/// the clock of the place where the fact was recorded: the clinician's calendar, which the as-of date, the note cuts
/// and every printed date speak of. Date-only values parse as midnight UTC and keep their day.
/// Clinical.Models, which cannot reference this project, states the same rule for RiskInput instants.
/// </summary>
public static class CalendarDay
{
    public static DateOnly Of(DateTimeOffset instant) => DateOnly.FromDateTime(instant.DateTime);

    public static DateOnly? Of(DateTimeOffset? instant) => instant is { } value ? Of(value) : null;
}
