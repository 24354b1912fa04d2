using System.Globalization;

namespace Clinical.Synthetic.History;

/// <summary>
/// Local Spanish time with its UTC offset (CET/CEST on the mainland, WET/WEST in the Canary Islands), without tz data.
/// </summary>
internal static class SpanishCalendar
{
    public static TimeSpan Offset(DateTime local, string region)
    {
        var summer = IsSummerTime(local);
        var hours = (region == "Canarias" ? 0 : 1) + (summer ? 1 : 0);
        return TimeSpan.FromHours(hours);
    }

    public static DateTimeOffset At(DateTime local, string region) =>
        new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Offset(local, region));

    public static string FhirDateTime(DateTime local, string region) =>
        At(local, region).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string FhirDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool IsSummerTime(DateTime local)
    {
        var start = LastSunday(local.Year, 3).AddHours(2);
        var end = LastSunday(local.Year, 10).AddHours(3);
        return local >= start && local < end;
    }

    private static DateTime LastSunday(int year, int month)
    {
        var day = new DateTime(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, DateTimeKind.Unspecified);
        return day.AddDays(-(int)day.DayOfWeek);
    }
}
