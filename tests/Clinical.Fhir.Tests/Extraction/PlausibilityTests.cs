using System.Text.Json.Nodes;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;

namespace Clinical.Fhir.Tests.Extraction;

/// <summary>
/// Issue 16, item 4: clinically impossible values, units and dates are not used, and each gets a warning.
/// </summary>
public sealed class PlausibilityTests
{
    private static readonly DateOnly AsOf = new(2026, 6, 30);

    private static string Peptide(string value, string? unit, string date = "2026-03-12", string loinc = "33762-6")
    {
        var quantity = new JsonObject { ["value"] = JsonNode.Parse(value) };
        if (unit is not null)
            quantity["unit"] = unit;
        return new JsonObject
        {
            ["resourceType"] = "Observation",
            ["id"] = "o1",
            ["status"] = "final",
            ["code"] = JsonNode.Parse($$"""{"coding":[{"system":"http://loinc.org","code":"{{loinc}}"}]}"""),
            ["subject"] = new JsonObject { ["reference"] = "Patient/p1" },
            ["effectiveDateTime"] = date,
            ["valueQuantity"] = quantity,
        }.ToJsonString();
    }

    private static (PatientRecord Record, IReadOnlyList<InputIssue> Issues) Extract(
        string observation,
        string birthDate = "1950-07-01",
        DateOnly? asOf = null
    )
    {
        var patient = new JsonObject
        {
            ["resourceType"] = "Patient",
            ["id"] = "p1",
            ["birthDate"] = birthDate,
        };
        var json = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "collection",
            ["entry"] = new JsonArray(
                new JsonObject { ["resource"] = patient },
                new JsonObject { ["resource"] = JsonNode.Parse(observation) }
            ),
        }.ToJsonString();
        var parsed = new FhirInputReader().Read(json, "test.json");
        var clock = new FixedClock(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero));
        var result = new PatientRecordExtractor(InputLimits.Default, clock).Extract(
            parsed.Resources,
            asOf ?? AsOf,
            "test.json"
        );
        return (Assert.Single(result.Patients), result.Issues);
    }

    private static InputIssue Warning(IReadOnlyList<InputIssue> issues, string text)
    {
        var issue = Assert.Single(issues, i => i.Diagnostics.Contains(text, StringComparison.Ordinal));
        Assert.Equal((IssueSeverity.Warning, "value"), (issue.Severity, issue.Code));
        return issue;
    }

    [Theory]
    [InlineData("-870.2", "33762-6")]
    [InlineData("250000", "33762-6")]
    [InlineData("-5", "30934-4")]
    public void Given_a_negative_or_absurd_peptide_When_extracted_Then_not_used_with_a_warning(
        string value,
        string loinc
    )
    {
        var (record, issues) = Extract(Peptide(value, "pg/mL", loinc: loinc));

        Assert.Empty(record.Measurements);
        Warning(issues, "outside the plausible range");
    }

    [Theory]
    [InlineData("0.35")]
    [InlineData("150")]
    public void Given_an_absurd_LVEF_When_extracted_Then_not_used_with_a_warning(string value)
    {
        var (record, issues) = Extract(Peptide(value, "%", loinc: "10230-1"));

        Assert.Empty(record.Measurements);
        Warning(issues, "LVEF");
    }

    [Fact]
    public void Given_a_plausible_peptide_and_LVEF_When_extracted_Then_both_are_used_without_warning()
    {
        var (peptide, peptideIssues) = Extract(Peptide("870.2", "pg/mL"));
        var (lvef, lvefIssues) = Extract(Peptide("38", "%", loinc: "10230-1"));

        Assert.Equal(870.2m, Assert.Single(peptide.Measurements).Value);
        Assert.Equal(38m, Assert.Single(lvef.Measurements).Value);
        Assert.Empty(peptideIssues.Concat(lvefIssues));
    }

    [Fact]
    public void Given_a_peptide_without_a_unit_When_extracted_Then_pg_per_mL_is_not_assumed()
    {
        var (record, issues) = Extract(Peptide("870", unit: null));

        Assert.Empty(record.Measurements);
        Warning(issues, "has no unit; pg/mL is not assumed");
    }

    [Fact]
    public void Given_a_peptide_in_an_unknown_unit_When_extracted_Then_not_used_with_a_warning()
    {
        var (record, issues) = Extract(Peptide("870", "mg/dL"));

        Assert.Empty(record.Measurements);
        Warning(issues, "unit 'mg/dL' is not understood");
    }

    [Theory]
    [InlineData("2090-01-01", "in the future")]
    [InlineData("1800-01-01", "before 1900")]
    public void Given_an_impossible_birth_date_When_extracted_Then_age_is_unknown_with_a_warning(
        string birthDate,
        string reason
    )
    {
        var (record, issues) = Extract(Peptide("870", "pg/mL"), birthDate);

        Assert.Null(record.BirthDate);
        Assert.Null(record.AgeYears);
        Assert.Equal("Bundle.entry[0].resource.birthDate", Warning(issues, reason).Location);
    }

    [Fact]
    public void Given_an_as_of_date_before_birth_When_extracted_Then_age_is_unknown_with_a_warning()
    {
        var (record, issues) = Extract(Peptide("870", "pg/mL", "2019-01-01"), "2020-05-05", new DateOnly(2019, 6, 1));

        Assert.Null(record.BirthDate);
        Warning(issues, "The as-of date 2019-06-01 is before Patient.birthDate 2020-05-05");
    }

    [Fact]
    public void Given_a_birth_date_after_the_observations_When_extracted_Then_earlier_values_are_not_used()
    {
        var (record, issues) = Extract(Peptide("870", "pg/mL", "2024-02-01"), birthDate: "2025-01-01");

        Assert.Empty(record.Measurements);
        Assert.Equal(new DateOnly(2025, 1, 1), record.BirthDate);
        Warning(issues, "dated 2024-02-01, before the patient's birth date 2025-01-01");
    }

    [Fact]
    public void Given_a_peptide_dated_0001_01_01_When_extracted_Then_not_used_with_a_warning()
    {
        var (record, issues) = Extract(Peptide("870", "pg/mL", "0001-01-01"));

        Assert.Empty(record.Measurements);
        Warning(issues, "is dated 0001-01-01, before 1900");
    }

    [Fact]
    public void Given_a_peptide_dated_after_the_as_of_date_When_extracted_Then_not_used_with_a_warning()
    {
        var (record, issues) = Extract(Peptide("870", "pg/mL", "2026-06-15"), asOf: new DateOnly(2026, 6, 1));

        Assert.Empty(record.Measurements);
        Warning(issues, "1 measurement is dated after the as-of date 2026-06-01");
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
