using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Clinical.Api.Hosting;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Errors;

/// <summary>Every error status carries an OperationOutcome, bounded, without .NET type names (issue 16).</summary>
public sealed class ErrorOutcomeTests(ClinicalApiFactory factory) : IClassFixture<ClinicalApiFactory>
{
    private static StringContent Fhir(string json) =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/fhir+json"));

    private static async Task<OperationOutcome> Outcome(HttpResponseMessage response)
    {
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var outcome = FhirJson.Deserialize<OperationOutcome>(await response.Content.ReadAsStringAsync());
        Assert.NotEmpty(outcome.Issue);
        return outcome;
    }

    [Fact]
    public async Task Given_a_path_nothing_serves_When_called_Then_404_with_an_OperationOutcome()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/fhir/Patient/123/nothing", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.NotFound, (await Outcome(response)).Issue[0].Code);
    }

    [Fact]
    public async Task Given_a_method_the_endpoint_does_not_take_When_called_Then_405_with_an_OperationOutcome()
    {
        using var client = factory.CreateFhirClient();

        using var response = await client.DeleteAsync(new Uri("/fhir/RiskAssessment", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("DELETE", (await Outcome(response)).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_URL_over_the_limit_When_called_Then_414_with_an_OperationOutcome_naming_the_limit()
    {
        using var client = factory.CreateFhirClient();

        using var response = await client.GetAsync(
            new Uri($"/fhir/RiskAssessment?subject=Patient/{new string('x', 9000)}", UriKind.Relative)
        );

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Contains("MaxUrlCharacters", (await Outcome(response)).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_headers_over_the_limit_When_called_Then_431_with_an_OperationOutcome_naming_the_limit()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/cds-services", UriKind.Relative));
        request.Headers.Add("X-Padding", new string('p', 40 * 1024));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Contains("MaxHeaderBytes", (await Outcome(response)).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_10_MB_bad_value_When_screened_Then_the_error_quotes_a_bounded_part_of_it()
    {
        var value = new string('9', 10 * 1024 * 1024);
        var bundle =
            """{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p","""
            + $"\"birthDate\":\"{value}\"}}}}]}}";
        using var client = factory.CreateFhirClient();

        using var response = await client.PostAsync(new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative), Fhir(bundle));

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"status {(int)response.StatusCode}");
        Assert.True(response.Content.Headers.ContentLength < 64 * 1024, $"{response.Content.Headers.ContentLength} B");
        Assert.Contains("characters in all", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_CDS_body_with_a_value_of_the_wrong_JSON_type_When_posted_Then_400_without_type_names()
    {
        using var client = factory.CreateCdsClient();

        using var response = await client.PostAsync(
            new Uri("/cds-services/hf-screening", UriKind.Relative),
            new StringContent("""{"hook": 5}""", Encoding.UTF8, "application/json")
        );

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = (await Outcome(response)).Issue[0].Diagnostics;
        Assert.Contains("$.hook has the wrong JSON type", text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_close_with_a_number_as_valueString_When_posted_Then_400_not_500()
    {
        using var client = factory.CreateFhirClient("system/Flag.u", [Roles.Clinician]);

        using var response = await client.PostAsync(
            new Uri("/fhir/Flag/any/$close", UriKind.Relative),
            Fhir("""{"resourceType":"Parameters","parameter":[{"name":"reason","valueString":5}]}""")
        );

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(
            "valueString as a JSON number",
            (await Outcome(response)).Issue[0].Diagnostics,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Given_hf_screen_with_a_number_as_valueDate_When_posted_Then_400_not_500()
    {
        using var client = factory.CreateFhirClient();
        var parameters =
            """{"resourceType":"Parameters","parameter":[{"name":"bundle","resource":"""
            + FixtureFiles.Bundle(FixtureFiles.NoSuspicion)
            + """},{"name":"asOf","valueDate":5}]}""";

        using var response = await client.PostAsync(
            new Uri("/fhir/Patient/$hf-screen", UriKind.Relative),
            Fhir(parameters)
        );

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(
            "valueDate as a JSON number",
            (await Outcome(response)).Issue[0].Diagnostics,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Given_an_empty_bundle_When_screened_Then_422_with_an_issue_saying_nobody_to_screen()
    {
        using var client = factory.CreateFhirClient();

        using var response = await client.PostAsync(
            new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative),
            Fhir("""{"resourceType":"Bundle","type":"collection"}""")
        );

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("nobody to screen", (await Outcome(response)).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/fhir/Bundle/$hf-screen", false)]
    [InlineData("/fhir/Patient/$hf-screen", true)]
    public async Task Given_a_lone_surrogate_in_a_name_When_screened_Then_400_not_500(string path, bool parameters)
    {
        var bundle = FixtureFiles
            .Bundle(FixtureFiles.NoSuspicion)
            .Replace("\"Ficticia Tres\"", "\"Ficticio \\ud800 Dos\"", StringComparison.Ordinal);
        Assert.Contains("\\ud800", bundle, StringComparison.Ordinal);
        var body = parameters
            ? """{"resourceType":"Parameters","parameter":[{"name":"bundle","resource":""" + bundle + "}]}"
            : bundle;
        using var client = factory.CreateFhirClient();

        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), Fhir(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(
            "lone UTF-16 surrogate",
            (await Outcome(response)).Issue[0].Diagnostics,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Given_a_body_declared_latin1_When_screened_Then_415_asking_for_UTF8_not_a_silent_decode()
    {
        using var client = factory.CreateFhirClient();

        using var response = await client.PostAsync(
            new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative),
            new StringContent(FixtureFiles.Bundle(FixtureFiles.NoSuspicion), Encoding.Latin1, "application/fhir+json")
        );

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("charset=utf-8", (await Outcome(response)).Issue[0].Diagnostics, StringComparison.Ordinal);
    }
}
