using Clinical.Fhir.Parsing;

namespace Clinical.Fhir.Tests.Parsing;

/// <summary>Pieces of one request read separately (a hook's prefetch) and merged: duplicate ids across them.</summary>
public sealed class ParsedInputTests
{
    private readonly FhirInputReader _reader = new();

    private const string Patient = """{"resourceType":"Patient","id":"p","gender":"female","birthDate":"1950-01-01"}""";

    private const string Peptide = """
        {"resourceType":"Observation","id":"o","status":"final",
         "code":{"coding":[{"system":"http://loinc.org","code":"33762-6"}]},
         "subject":{"reference":"Patient/p"},"effectiveDateTime":"2026-05-01",
         "valueQuantity":{"value":870,"unit":"pg/mL","system":"http://unitsofmeasure.org","code":"pg/mL"}}
        """;

    private static string Searchset(params string[] resources) =>
        """{"resourceType":"Bundle","type":"searchset","entry":["""
        + string.Join(",", resources.Select(r => $$"""{"resource":{{r}}}"""))
        + "]}";

    private ParsedInput Merge(params (string Key, string Json)[] pieces) =>
        ParsedInput.Merge("prefetch", pieces.Select(p => _reader.Read(p.Json, $"prefetch.{p.Key}")));

    [Fact]
    public void Given_one_resource_in_two_pieces_When_merged_Then_it_is_read_once_with_an_information_issue()
    {
        var merged = Merge(
            ("patient", Patient),
            ("natriureticPeptides", Searchset(Peptide)),
            ("lvef", Searchset(Peptide, Patient))
        );

        Assert.Equal(["Patient", "Observation"], merged.Resources.Select(r => r.Resource.TypeName));
        Assert.Equal(2, merged.Issues.Count);
        Assert.All(merged.Issues, i => Assert.Equal((IssueSeverity.Information, "duplicate"), (i.Severity, i.Code)));
        var copy = merged.Issues[0];
        Assert.Equal(("prefetch.lvef", "Bundle.entry[0].resource.id"), (copy.Source, copy.Location));
        Assert.Contains("prefetch.lvef Bundle.entry[0]", copy.Diagnostics, StringComparison.Ordinal);
        Assert.Contains("prefetch.natriureticPeptides Bundle.entry[0]", copy.Diagnostics, StringComparison.Ordinal);
        Assert.Contains("prefetch.patient Patient", merged.Issues[1].Diagnostics, StringComparison.Ordinal);
        Assert.False(merged.HasErrors);
        Assert.Empty(merged.ConflictingIds);
    }

    [Fact]
    public void Given_one_id_with_different_content_in_two_pieces_When_merged_Then_an_error_names_both_pieces()
    {
        var merged = Merge(
            ("patient", Patient),
            ("conditions", Searchset(Patient.Replace("1950-01-01", "1990-01-01", StringComparison.Ordinal)))
        );

        var kept = Assert.Single(merged.Resources);
        Assert.Equal("1950-01-01", ((Hl7.Fhir.Model.Patient)kept.Resource).BirthDate);
        var issue = Assert.Single(merged.Issues);
        Assert.Equal((IssueSeverity.Error, "duplicate"), (issue.Severity, issue.Code));
        Assert.Equal(("prefetch.conditions", "Bundle.entry[0].resource.id"), (issue.Source, issue.Location));
        Assert.Contains(
            "Patient/p appears twice with different content (prefetch.patient Patient and prefetch.conditions "
                + "Bundle.entry[0]): two patients with one id cannot be told apart",
            issue.Diagnostics,
            StringComparison.Ordinal
        );
        Assert.Equal(["Patient/p"], merged.ConflictingIds);
    }

    [Fact]
    public void Given_a_conflict_inside_one_piece_When_merged_Then_it_is_reported_once_and_still_a_conflict()
    {
        var other = Peptide.Replace("870", "90", StringComparison.Ordinal);

        var merged = Merge(("patient", Patient), ("natriureticPeptides", Searchset(Peptide, other)));

        Assert.Equal(2, merged.Resources.Count);
        Assert.Single(merged.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal(["Observation/o"], merged.ConflictingIds);
    }

    [Fact]
    public void Given_two_versions_of_one_resource_in_two_pieces_When_merged_Then_both_are_read()
    {
        static string Version(string id) =>
            Patient.Replace(
                "\"id\":\"p\"",
                $$"""
                "id":"p","meta":{"versionId":"{{id}}"}
                """,
                StringComparison.Ordinal
            );

        var merged = Merge(("patient", Version("2")), ("conditions", Searchset(Version("1"))));

        Assert.Equal(2, merged.Resources.Count);
        Assert.Empty(merged.Issues);
    }
}
