using Clinical.Fhir.Parsing;

namespace Clinical.Fhir.Tests.Parsing;

public sealed class InputRulesTests
{
    private readonly FhirInputReader _reader = new();

    private static string Bundle(string resource) =>
        """{"resourceType":"Bundle","type":"collection","entry":[{"resource":"""
        + $$$"""{"resourceType":"Patient","id":"p"}},{"resource":{{{resource}}}}]}""";

    [Fact]
    public void Given_a_RiskAssessment_with_probability_over_100_When_read_Then_ras_2_is_reported_and_it_is_left_out()
    {
        var parsed = _reader.Read(
            Bundle(
                """{"resourceType":"RiskAssessment","status":"final","subject":"""
                    + """{"reference":"Patient/p"},"prediction":[{"probabilityDecimal":150}]}"""
            ),
            "r.json"
        );

        Assert.Single(parsed.Resources);
        Assert.Contains(
            parsed.Issues,
            i =>
                i.Code == "invariant"
                && i.Diagnostics.Contains("ras-2", StringComparison.Ordinal)
                && i.Location == "Bundle.entry[1].resource.prediction[0].probability"
        );
    }

    [Fact]
    public void Given_an_Encounter_whose_period_ends_before_it_starts_When_read_Then_per_1_is_reported()
    {
        var parsed = _reader.Read(
            Bundle(
                """{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"subject":"""
                    + """{"reference":"Patient/p"},"period":{"start":"2025-05-02","end":"2025-05-01"}}"""
            ),
            "e.json"
        );

        Assert.Contains(
            parsed.Issues,
            i =>
                i.Diagnostics.Contains("per-1", StringComparison.Ordinal)
                && i.Location == "Bundle.entry[1].resource.period"
        );
    }

    [Fact]
    public void Given_an_observation_dated_in_the_future_When_read_Then_it_is_kept_with_a_warning()
    {
        var parsed = _reader.Read(
            Bundle(
                """{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":"""
                    + """{"reference":"Patient/p"},"effectiveDateTime":"2099-01-01"}"""
            ),
            "o.json"
        );

        Assert.Equal(2, parsed.Resources.Count);
        Assert.Contains(
            parsed.Issues,
            i =>
                i.Severity == IssueSeverity.Warning && i.Diagnostics.Contains("in the future", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Given_batch_request_entries_without_resources_When_read_Then_they_are_informational_not_errors()
    {
        const string batch =
            """{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"GET","url":"Patient/p"}}]}""";

        var parsed = _reader.Read(batch, "b.json");

        Assert.False(parsed.HasErrors);
        Assert.Equal(IssueSeverity.Information, Assert.Single(parsed.Issues).Severity);
    }

    [Fact]
    public void Given_two_versions_of_a_resource_with_one_fullUrl_When_read_Then_both_are_accepted_per_bdl_7()
    {
        const string json = """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"fullUrl":"http://x.invalid/Patient/1",
                "resource":{"resourceType":"Patient","id":"1","meta":{"versionId":"1"}}},
              {"fullUrl":"http://x.invalid/Patient/1",
                "resource":{"resourceType":"Patient","id":"1","meta":{"versionId":"2"}}}]}
            """;

        Assert.Equal(2, _reader.Read(json, "v.json").Resources.Count);
    }
}
