using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Features.Screening;

/// <summary>
/// Issue 16, item 4, end to end: a negative NT-proBNP (102.9 pmol/L written as -102.9, i.e. -870.2 pg/mL) once read
/// "por debajo de 125" and turned a high-risk patient low. Now it is not used and the answer says so.
/// </summary>
public sealed class ImplausibleValuesTests(ClinicalApiFactory factory) : IClassFixture<ClinicalApiFactory>
{
    [Fact]
    public async Task Given_a_negative_NT_proBNP_When_screened_Then_it_is_not_evidence_and_a_warning_says_why()
    {
        var json = FixtureFiles
            .Bundle(FixtureFiles.PossibleUndiagnosedHeartFailure)
            .Replace("\"value\": 102.9", "\"value\": -102.9", StringComparison.Ordinal);
        using var client = factory.CreateFhirClient();

        using var response = await client.PostAsync(
            new Uri("/fhir/Bundle/$hf-screen?asOf=2026-06-30", UriKind.Relative),
            new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/fhir+json"))
        );

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var resources = FhirJson
            .Deserialize<Bundle>(await response.Content.ReadAsStringAsync())
            .Entry.Select(e => e.Resource)
            .ToList();
        var risk = Assert.Single(resources.OfType<RiskAssessment>());
        Assert.DoesNotContain(
            risk.Basis,
            b => (b.Identifier?.Value ?? b.Reference ?? "").Contains("ntprobnp", StringComparison.Ordinal)
        );
        Assert.DoesNotContain("-870", risk.Note[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("por debajo de 125", risk.Note[0].Text, StringComparison.Ordinal);
        var warning = Assert.Single(
            Assert.Single(resources.OfType<OperationOutcome>()).Issue,
            i => i.Diagnostics!.Contains("outside the plausible range", StringComparison.Ordinal)
        );
        Assert.Equal(OperationOutcome.IssueSeverity.Warning, warning.Severity);
    }
}
