using Clinical.Fhir.Extraction;
using Clinical.Tests;

namespace Clinical.Fhir.Tests.Extraction;

public sealed class CalendarDayTests
{
    public static TheoryData<string, string> Cases => NearMidnightInstants.Cases;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Given_an_instant_near_midnight_When_taking_its_day_Then_it_is_the_day_as_recorded(
        string instant,
        string day
    ) => Assert.Equal(NearMidnightInstants.Day(day), CalendarDay.Of(NearMidnightInstants.Instant(instant)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Given_a_FHIR_dateTime_near_midnight_When_parsed_Then_its_date_is_the_day_as_recorded(
        string instant,
        string day
    ) => Assert.Equal(NearMidnightInstants.Day(day), FhirDates.DateOf(instant));

    [Fact]
    public void Given_a_fact_recorded_just_after_midnight_When_screening_as_of_the_day_before_Then_it_is_not_yet_known()
    {
        var recorded = FhirDates.Parse("2024-03-13T00:30:00+01:00");

        Assert.False(FhirDates.KnownOn(recorded, new DateOnly(2024, 3, 12)));
        Assert.True(FhirDates.KnownOn(recorded, new DateOnly(2024, 3, 13)));
    }
}
