using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;

namespace Clinical.Fhir.Tests.Extraction;

public sealed class DeathTests
{
    private static PatientRecord Extract(string deceased, DateOnly asOf)
    {
        var json = """{"resourceType":"Patient","id":"p1","gender":"male","birthDate":"1940-01-01",""" + deceased + "}";
        var parsed = new FhirInputReader().Read(json, "test.json");
        return Assert.Single(new PatientRecordExtractor().Extract(parsed.Resources, asOf, "test.json").Patients);
    }

    [Theory]
    [InlineData("\"deceasedDateTime\":\"2025-03-01\"", "2026-06-30", "2025-03-01")]
    [InlineData("\"deceasedDateTime\":\"2026-06-30T10:00:00+02:00\"", "2026-06-30", "2026-06-30")]
    [InlineData("\"deceasedDateTime\":\"2024\"", "2024-01-01", "2024-01-01")]
    public void Given_a_death_on_or_before_the_as_of_date_When_extracted_Then_the_record_says_so(
        string deceased,
        string asOf,
        string on
    )
    {
        var record = Extract(deceased, DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(record.IsDeceased);
        Assert.Equal(DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture), record.Death!.On);
        Assert.Equal("Patient/p1", record.Death.Source);
    }

    [Fact]
    public void Given_deceasedBoolean_true_When_extracted_at_any_date_Then_deceased_with_no_date()
    {
        var record = Extract("\"deceasedBoolean\":true", new DateOnly(2001, 1, 1));

        Assert.Equal(new Death(null, "Patient/p1"), record.Death);
    }

    [Theory]
    [InlineData("\"deceasedDateTime\":\"2025-03-01\"", "2025-02-28")]
    [InlineData("\"deceasedBoolean\":false", "2026-06-30")]
    [InlineData("\"active\":true", "2026-06-30")]
    public void Given_no_death_by_the_as_of_date_When_extracted_Then_the_record_is_of_a_living_patient(
        string deceased,
        string asOf
    )
    {
        var record = Extract(deceased, DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture));

        Assert.False(record.IsDeceased);
        Assert.Null(record.Death);
    }
}
