using System.Net;
using Clinical.Fhir.Output;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Features.Metadata;

public sealed class CapabilityStatementTests(ClinicalApiFactory factory) : IClassFixture<ClinicalApiFactory>
{
    [Fact]
    public async Task Given_the_server_When_metadata_is_read_Then_it_declares_the_hf_screen_operation()
    {
        using var client = factory.CreateClient();

        var statement = FhirJson.Deserialize<CapabilityStatement>(
            await client.GetStringAsync(new Uri("/fhir/metadata", UriKind.Relative))
        );

        var operation = Assert.Single(statement.Rest[0].Resource.Single(r => r.Type == "Bundle").Operation);
        Assert.Equal("hf-screen", operation.Name);
        Assert.Empty(EmittedResourceCheck.Problems(statement));
    }

    [Fact]
    public async Task Given_the_server_When_health_is_checked_Then_it_answers_ok()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
