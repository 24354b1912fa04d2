using Clinical.Models.Scoring;
using Clinical.Tests;

namespace Clinical.Models.Tests.Scoring;

public sealed class CalendarDayTests
{
    public static TheoryData<string, string> Cases => NearMidnightInstants.Cases;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Given_an_instant_near_midnight_When_taking_its_day_Then_it_is_the_day_as_recorded(
        string instant,
        string day
    ) => Assert.Equal(NearMidnightInstants.Day(day), CalendarDay.Of(NearMidnightInstants.Instant(instant)));
}
