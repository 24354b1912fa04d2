using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;

namespace Clinical.Fhir.Tests.Extraction;

public sealed class PatientAttributionTests
{
    [Fact]
    public void Given_a_patient_with_GP_and_practice_When_extracted_Then_attribution_and_name_are_kept()
    {
        const string json = """
            {"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p1",
            "name":[{"use":"usual","given":["Pepa"],"family":"Apodo"},
                    {"use":"official","given":["Josefa","María"],"family":"Ficticia Uno"}],
            "generalPractitioner":[{"reference":"Organization/cs-1"},{"reference":"Practitioner/gp-7"}],
            "managingOrganization":{"reference":"Organization/cs-1","display":"CS Uno"}}}]}
            """;
        var parsed = new FhirInputReader().Read(json, "t.json");

        var record = Assert.Single(
            new PatientRecordExtractor().Extract(parsed.Resources, new(2026, 6, 30), "t").Patients
        );

        Assert.Equal(["Practitioner/gp-7"], record.Attribution.GeneralPractitioners);
        Assert.Equal("Organization/cs-1", record.Attribution.Practice);
        Assert.Equal("CS Uno", record.Attribution.PracticeName);
        Assert.Equal("Josefa María Ficticia Uno", record.Attribution.DisplayName);
    }

    [Fact]
    public void Given_a_patient_without_attribution_When_extracted_Then_it_is_empty_not_missing()
    {
        var parsed = new FhirInputReader().Read("""{"resourceType":"Patient","id":"p2"}""", "t.json");

        var record = Assert.Single(
            new PatientRecordExtractor().Extract(parsed.Resources, new(2026, 6, 30), "t").Patients
        );

        Assert.Empty(record.Attribution.GeneralPractitioners);
        Assert.Null(record.Attribution.Practice);
        Assert.Null(record.Attribution.DisplayName);
    }
}
