using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Tests.Output;

/// <summary>
/// Issue 16, item 8: emitted resources refer to their sources where those live (absolute URL from fullUrl, meta.source
/// or the input's server base; else Reference.identifier), never by a relative reference that inside our collection
/// Bundle would resolve against this service.
/// </summary>
public sealed class SourceReferenceTests
{
    private const string Ehr = "https://ehr.example.org/fhir";
    private const string PatientUuid = "urn:uuid:00000000-0000-4000-8000-000000000001";
    private const string ObservationUuid = "urn:uuid:00000000-0000-4000-8000-000000000002";

    private static string Observation(string extra = "") =>
        """{"resourceType":"Observation","id":"o1","status":"final","code":{"coding":"""
        + """[{"system":"http://loinc.org","code":"33762-6"}]},"subject":{"reference":"Patient/p1"},"effective"""
        + """DateTime":"2026-03-12","valueQuantity":{"value":870,"unit":"pg/mL"}"""
        + extra
        + "}";

    private static string Bundle(string patient, string patientUrl, string observation, string observationUrl) =>
        $$"""{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"{{patientUrl}}","resource":"""
        + $$"""{{patient}}},{"fullUrl":"{{observationUrl}}","resource":{{observation}}}]}""";

    private const string Patient = """{"resourceType":"Patient","id":"p1","birthDate":"1950-07-01"}""";

    private static ScreeningResources Screen(string json, Uri? serverBase = null)
    {
        var parsed = new FhirInputReader().Read(json, "test.json");
        var record = Assert.Single(
            new PatientRecordExtractor()
                .Extract(parsed.Resources, new DateOnly(2026, 6, 30), "test.json", serverBase)
                .Patients
        );
        var evidence = record.Measurements.Select(m => new EvidenceItem(m.Source, "NT-proBNP", m.When)).ToList();
        var report = new ScreeningReport(
            record.PatientReference,
            record.AsOf,
            new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero),
            0.88m,
            RiskLevel.High,
            evidence,
            "NT-proBNP above 125.",
            new ReportText(
                "es",
                "Riesgo alto.",
                "Riesgo alto.",
                "Insuficiencia cardiaca",
                "Riesgo alto",
                "Posible",
                "R"
            ),
            new ModelIdentity("m", "1")
        )
        {
            Links = record.Links,
        };
        return ScreeningResourceBuilder.Build(report, "Device/m-1");
    }

    [Fact]
    public void Given_absolute_fullUrls_When_built_Then_basis_provenance_and_subject_use_them()
    {
        var resources = Screen(Bundle(Patient, $"{Ehr}/Patient/p1", Observation(), $"{Ehr}/Observation/o1"));

        Assert.Equal($"{Ehr}/Observation/o1", Assert.Single(resources.RiskAssessment.Basis).Reference);
        Assert.Equal($"{Ehr}/Observation/o1", Assert.Single(resources.Provenance.Entity).What.Reference);
        Assert.Equal($"{Ehr}/Patient/p1", resources.RiskAssessment.Subject.Reference);
        Assert.Equal($"{Ehr}/Patient/p1", resources.Flag!.Subject.Reference);
    }

    [Fact]
    public void Given_meta_source_and_urn_uuid_fullUrls_When_built_Then_basis_is_the_source_servers_URL()
    {
        var observation = Observation($$""","meta":{"source":"{{Ehr}}#a91c"}""");
        var resources = Screen(Bundle(Patient, PatientUuid, observation, ObservationUuid));

        Assert.Equal($"{Ehr}/Observation/o1", Assert.Single(resources.RiskAssessment.Basis).Reference);
    }

    [Fact]
    public void Given_the_hooks_fhirServer_When_built_Then_basis_and_subject_are_absolute_on_that_server()
    {
        var resources = Screen(Bundle(Patient, PatientUuid, Observation(), ObservationUuid), new Uri(Ehr));

        Assert.Equal($"{Ehr}/Observation/o1", Assert.Single(resources.RiskAssessment.Basis).Reference);
        Assert.Equal($"{Ehr}/Patient/p1", resources.RiskAssessment.Subject.Reference);
    }

    [Fact]
    public void Given_no_origin_but_an_identifier_When_built_Then_basis_is_a_logical_reference_by_identifier()
    {
        var observation = Observation(""","identifier":[{"system":"urn:oid:2.16.724.4.1","value":"LAB-77"}]""");
        var resources = Screen(Bundle(Patient, PatientUuid, observation, ObservationUuid));

        var basis = Assert.Single(resources.RiskAssessment.Basis);
        Assert.Null(basis.Reference);
        Assert.Equal("Observation", basis.Type);
        Assert.Equal(("urn:oid:2.16.724.4.1", "LAB-77"), (basis.Identifier!.System, basis.Identifier.Value));
    }

    [Fact]
    public void Given_a_Patient_without_id_When_built_Then_the_subject_is_its_identifier_not_a_dangling_urn_uuid()
    {
        const string patient =
            """{"resourceType":"Patient","birthDate":"1950-07-01","identifier":"""
            + """[{"system":"urn:oid:2.16.724.4.9.10.2","value":"CIP-123"}]}""";
        var observation = Observation().Replace("Patient/p1", PatientUuid, StringComparison.Ordinal);
        var resources = Screen(Bundle(patient, PatientUuid, observation, ObservationUuid));

        foreach (var subject in new[] { resources.RiskAssessment.Subject, resources.Flag!.Subject })
        {
            Assert.Null(subject.Reference);
            Assert.Equal(("Patient", "CIP-123"), (subject.Type, subject.Identifier!.Value));
        }
    }

    [Fact]
    public void Given_any_screening_When_built_Then_RiskAssessment_and_Flag_carry_an_escaped_generated_narrative()
    {
        var resources = Screen(Bundle(Patient, PatientUuid, Observation(), ObservationUuid));

        foreach (var text in new[] { resources.RiskAssessment.Text, resources.Flag!.Text })
        {
            Assert.Equal(Narrative.NarrativeStatus.Generated, text!.Status);
            Assert.StartsWith("<div xmlns=\"http://www.w3.org/1999/xhtml\">", text.Div, StringComparison.Ordinal);
            Assert.Contains("88 %", text.Div, StringComparison.Ordinal);
        }
        var escaped = NarrativeText.Generated("a <b> & c").Div;
        Assert.Contains("<p>a &lt;b&gt; &amp; c</p>", escaped, StringComparison.Ordinal);
    }
}
