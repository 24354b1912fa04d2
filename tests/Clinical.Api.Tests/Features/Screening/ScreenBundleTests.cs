using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Features.Screening;

public sealed class ScreenBundleTests(ClinicalApiFactory factory) : IClassFixture<ClinicalApiFactory>
{
    private static StringContent Fhir(string json, string mediaType = "application/fhir+json") =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));

    private async Task<HttpResponseMessage> Screen(
        string json,
        string query = "?asOf=2026-06-30",
        string mediaType = "application/fhir+json"
    )
    {
        using var client = factory.CreateFhirClient();
        return await client.PostAsync(
            new Uri($"/fhir/Bundle/$hf-screen{query}", UriKind.Relative),
            Fhir(json, mediaType)
        );
    }

    [Fact]
    public async Task Given_the_possible_HF_fixture_When_posted_Then_200_with_a_high_risk_flag_and_the_result_stored()
    {
        using var response = await Screen(FixtureFiles.Bundle(FixtureFiles.PossibleUndiagnosedHeartFailure));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var bundle = FhirJson.Deserialize<Bundle>(await response.Content.ReadAsStringAsync());
        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        var risk = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<RiskAssessment>());
        Assert.Equal("high", risk.Prediction[0].QualitativeRisk!.Coding[0].Code);
        Assert.Equal(
            ["Observation/fx-posible-ntprobnp", "DocumentReference/fx-posible-nota"],
            risk.Basis.Select(b => b.Identifier?.Value)
        );
        // urn:uuid fullUrls say nothing of where the sources live: no relative reference to this service.
        Assert.All(risk.Basis, b => Assert.Null(b.Reference));
        var flag = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<Flag>());
        Assert.Equal("Patient/fx-posible-ic", flag.Subject.Reference);
        Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<Device>());

        var stored = factory.InScope(db =>
            db.Screenings.Where(s => s.PatientReference == "Patient/fx-posible-ic").ToList()
        );
        Assert.Contains(
            stored,
            s =>
                s.Flagged
                && s.QualitativeRisk == "high"
                && s.RiskAssessmentJson.Contains(risk.Id!, StringComparison.Ordinal)
        );
    }

    [Fact]
    public async Task Given_the_diagnosed_fixture_When_posted_Then_it_is_certain_and_not_flagged()
    {
        using var response = await Screen(FixtureFiles.Bundle(FixtureFiles.DiagnosedHeartFailure));

        var bundle = FhirJson.Deserialize<Bundle>(await response.Content.ReadAsStringAsync());
        var risk = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<RiskAssessment>());
        Assert.Equal("certain", risk.Prediction[0].QualitativeRisk!.Coding[0].Code);
        Assert.Empty(bundle.Entry.Select(e => e.Resource).OfType<Flag>());
    }

    [Fact]
    public async Task Given_a_broken_body_When_posted_Then_400_with_an_OperationOutcome_locating_the_error()
    {
        using var response = await Screen("""{"resourceType": "Bundle", "type": "collection", "entry": [ """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = FhirJson.Deserialize<OperationOutcome>(await response.Content.ReadAsStringAsync());
        var issue = Assert.Single(outcome.Issue);
        Assert.Equal(OperationOutcome.IssueType.Structure, issue.Code);
        Assert.Contains("line 1", Assert.Single(issue.Location), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_bundle_without_a_patient_When_posted_Then_422_says_there_is_nobody_to_screen()
    {
        using var response = await Screen("""{"resourceType":"Bundle","type":"collection"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Given_xml_content_When_posted_Then_415()
    {
        using var response = await Screen("<Bundle/>", mediaType: "application/fhir+xml");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("OperationOutcome", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_as_of_date_in_the_future_When_posted_Then_400_names_the_parameter()
    {
        using var response = await Screen(FixtureFiles.Bundle(FixtureFiles.NoSuspicion), "?asOf=2030-01-01");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("in the future", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_screening_When_it_completes_Then_an_audit_record_names_the_action_and_patient()
    {
        using var response = await Screen(FixtureFiles.Bundle(FixtureFiles.NoSuspicion));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(
            factory.InScope(db =>
                db.AuditRecords.Any(a =>
                    a.Action == "screen" && a.Outcome == "success" && a.PatientReferences.Contains("Patient/fx-sana")
                )
            )
        );
    }
}

public sealed class RequestSizeLimitTests : IDisposable
{
    private readonly ClinicalApiFactory _factory = new() { MaxRequestBytes = 2_000 };

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Given_a_body_over_the_limit_When_posted_Then_413_with_an_OperationOutcome()
    {
        using var client = _factory.CreateFhirClient();
        using var content = new StringContent(
            FixtureFiles.Bundle(FixtureFiles.PossibleUndiagnosedHeartFailure),
            Encoding.UTF8,
            new MediaTypeHeaderValue("application/fhir+json")
        );

        using var response = await client.PostAsync(new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("too-costly", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
