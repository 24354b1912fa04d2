using Clinical.Fhir.Parsing;
using Clinical.Tests;

namespace Clinical.Fhir.Tests.Parsing;

public sealed class FhirInputReaderTests
{
    private readonly FhirInputReader _reader = new();

    [Fact]
    public void Given_a_bundle_with_one_bad_entry_When_read_Then_it_is_reported_with_its_location_and_the_rest_kept()
    {
        var parsed = _reader.Read(FixtureFiles.Read("invalid", "bundle-bad-entry.json"), "bad-entry.json");

        Assert.Equal(["Patient", "Observation"], parsed.Resources.Select(r => r.Resource.TypeName));
        var issue = Assert.Single(parsed.Issues, i => i.Location == "Bundle.entry[2].resource.status");
        Assert.Equal(31, issue.Line);
        Assert.Contains(
            parsed.Issues,
            i => i.Location!.StartsWith("Bundle.entry[2].resource.value", StringComparison.Ordinal) && i.Code == "value"
        );
        Assert.True(parsed.HasErrors);
    }

    [Fact]
    public void Given_truncated_json_When_read_Then_a_fatal_structure_issue_names_the_line_and_column()
    {
        var error = Assert.Throws<FhirInputException>(() =>
            _reader.Read(FixtureFiles.Read("invalid", "truncated.json"), "truncated.json")
        );

        var issue = Assert.Single(error.Issues);
        Assert.Equal(IssueSeverity.Fatal, issue.Severity);
        Assert.Equal("structure", issue.Code);
        Assert.Equal(1, issue.Line);
        Assert.NotNull(issue.Column);
    }

    private static string Bundle(params string[] resources) =>
        """{"resourceType":"Bundle","type":"collection","entry":["""
        + string.Join(",", resources.Select(r => $$"""{"resource":{{r}}}"""))
        + "]}";

    [Fact]
    public void Given_two_different_patients_with_one_id_When_read_Then_an_error_and_only_the_first_is_kept()
    {
        var parsed = _reader.Read(
            Bundle(
                """{"resourceType":"Patient","id":"p","gender":"female","birthDate":"1950-01-01"}""",
                """{"resourceType":"Patient","id":"p","gender":"male","birthDate":"1980-01-01"}"""
            ),
            "two.json"
        );

        var kept = Assert.Single(parsed.Resources);
        Assert.Equal("Bundle.entry[0].resource", kept.Location);
        var issue = Assert.Single(parsed.Issues);
        Assert.Equal(IssueSeverity.Error, issue.Severity);
        Assert.Equal("Bundle.entry[1].resource.id", issue.Location);
        Assert.Contains("two patients with one id", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_exact_copy_of_a_patient_When_read_Then_it_is_read_once_with_an_information_issue()
    {
        const string patient = """{"resourceType":"Patient","id":"p","gender":"female","birthDate":"1950-01-01"}""";

        var parsed = _reader.Read(Bundle(patient, patient), "copy.json");

        Assert.Single(parsed.Resources);
        Assert.Equal(IssueSeverity.Information, Assert.Single(parsed.Issues).Severity);
        Assert.False(parsed.HasErrors);
    }

    [Fact]
    public void Given_a_lone_surrogate_in_a_name_When_read_Then_it_is_refused_at_its_line_not_thrown_later()
    {
        var json = "{\"resourceType\":\"Patient\",\n\"id\":\"p\",\"name\":[{\"family\":\"Ficticio \\ud800 Dos\"}]}";

        var error = Assert.Throws<FhirInputException>(() => _reader.Read(json, "surrogate.json"));

        var issue = Assert.Single(error.Issues);
        Assert.Equal(IssueSeverity.Fatal, issue.Severity);
        Assert.Contains("lone UTF-16 surrogate", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(2, issue.Line);
    }

    [Theory]
    [InlineData(
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":"
            + "{\"resourceType\":\"Patient\",\"id\":\"p\",\"\":{\"reference\":\"x\"}}}]}"
    )]
    [InlineData("""{"resourceType":"Patient","id":"p","name":[{"":"Ficticia"}]}""")]
    public void Given_an_empty_property_name_When_read_Then_a_located_refusal_not_an_index_exception(string json)
    {
        // Found by the fhir fuzz target: Firely's deserializer threw IndexOutOfRangeException.
        var error = Assert.Throws<FhirInputException>(() => _reader.Read(json, "empty-name.json"));

        Assert.Contains("empty property name", Assert.Single(error.Issues).Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_bytes_that_are_not_UTF8_When_read_Then_they_are_refused_not_replaced()
    {
        // "Muñoz" in ISO-8859-1: ñ is the single byte 0xF1, which is not UTF-8.
        byte[] json =
        [
            .. "{\"resourceType\":\"Patient\",\"id\":\"p\",\"name\":[{\"family\":\"Mu"u8,
            0xF1,
            .. "oz\"}]}"u8,
        ];

        var error = Assert.Throws<FhirInputException>(() => _reader.Read(json, "latin1.json"));

        Assert.Contains("not UTF-8", Assert.Single(error.Issues).Diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "JSON array")]
    [InlineData("{\"id\": \"x\"}", "no 'resourceType'")]
    public void Given_json_that_is_not_a_resource_When_read_Then_it_is_refused_saying_why(string json, string reason)
    {
        var error = Assert.Throws<FhirInputException>(() => _reader.Read(json, "x.json"));

        Assert.Contains(reason, error.Issues[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_input_over_the_size_limit_When_read_Then_it_is_refused_as_too_costly()
    {
        var reader = new FhirInputReader(new InputLimits { MaxBytes = 100 });

        var error = Assert.Throws<FhirInputException>(() =>
            reader.Read(FixtureFiles.Bundle(FixtureFiles.NoSuspicion), "big.json")
        );

        Assert.True(error.IsTooLarge);
    }

    [Fact]
    public void Given_duplicate_fullUrls_When_read_Then_the_later_entry_is_left_out_and_reported()
    {
        const string json = """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"fullUrl":"urn:uuid:11111111-1111-4111-8111-111111111111",
                "resource":{"resourceType":"Patient","id":"a"}},
              {"fullUrl":"urn:uuid:11111111-1111-4111-8111-111111111111",
                "resource":{"resourceType":"Patient","id":"b"}}]}
            """;

        var parsed = _reader.Read(json, "dup.json");

        Assert.Equal("a", Assert.Single(parsed.Resources).Resource.Id);
        Assert.Contains(
            parsed.Issues,
            i =>
                i.Location == "Bundle.entry[1].fullUrl" && i.Diagnostics.Contains("Duplicate", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Given_a_single_resource_with_an_unknown_element_When_read_Then_it_is_refused_with_the_element_path()
    {
        const string json = """{"resourceType":"Patient","id":"p","favouriteColour":"blue"}""";

        var error = Assert.Throws<FhirInputException>(() => _reader.Read(json, "p.json"));

        Assert.Contains(error.Issues, i => i.Location == "Patient.favouriteColour");
    }
}
