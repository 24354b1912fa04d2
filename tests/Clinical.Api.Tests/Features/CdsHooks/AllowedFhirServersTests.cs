using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Clinical.Api.Features.CdsHooks;
using Clinical.Tests;

namespace Clinical.Api.Tests.Features.CdsHooks;

public sealed class AllowedFhirServersTests
{
    private static AllowedFhirServers Allowing(params string[] servers) =>
        new(new CdsHooksOptions { AllowedFhirServers = [.. servers] });

    [Theory]
    [InlineData("http://127.0.0.1:5951@127.0.0.1:5952/fhir")]
    [InlineData("http://127.0.0.1:5951/fhir/../admin/secret")]
    [InlineData("http://127.0.0.1:5951/fhir/%2e%2e/admin")]
    [InlineData("http://127.0.0.1:5951/fhir-evil")]
    [InlineData("http://127.0.0.1:5951/fhir?x=1")]
    [InlineData("http://127.0.0.1:5951/fhir#x")]
    [InlineData("https://127.0.0.1:5951/fhir")]
    [InlineData("http://127.0.0.1:5952/fhir")]
    [InlineData("http://127.0.0.2:5951/fhir")]
    [InlineData("http://localhost:5951/fhir")]
    [InlineData("http://127.0.0.1:5951")]
    [InlineData("ftp://127.0.0.1:5951/fhir")]
    [InlineData("/fhir")]
    public void Given_a_server_off_the_allowed_origin_or_path_When_matched_Then_it_is_refused(string fhirServer)
    {
        Assert.Null(Allowing("http://127.0.0.1:5951/fhir").Match(fhirServer));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5951/fhir", "http://127.0.0.1:5951/fhir/")]
    [InlineData("http://127.0.0.1:5951/fhir/", "http://127.0.0.1:5951/fhir/")]
    [InlineData("HTTP://127.0.0.1:5951/fhir/r4", "http://127.0.0.1:5951/fhir/r4/")]
    [InlineData("http://127.0.0.1:5951/fhir/./r4", "http://127.0.0.1:5951/fhir/r4/")]
    public void Given_the_allowed_base_or_a_path_under_it_When_matched_Then_the_normalised_base_is_called(
        string fhirServer,
        string called
    )
    {
        Assert.Equal(new Uri(called), Allowing("http://127.0.0.1:5951/fhir").Match(fhirServer));
    }

    [Fact]
    public void Given_an_allowed_origin_with_a_default_port_When_matched_Then_the_explicit_port_is_the_same_origin()
    {
        var allowed = Allowing("https://EHR.example.org/fhir");

        Assert.NotNull(allowed.Match("https://ehr.example.org:443/fhir"));
        Assert.Null(allowed.Match("https://ehr.example.org.evil.example/fhir"));
        Assert.Null(allowed.Match("https://ehr.example.org:8443/fhir"));
    }

    [Fact]
    public void Given_a_configured_server_with_user_info_When_the_service_starts_Then_it_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Allowing("http://user@ehr.example.org/fhir"));

        Assert.Contains("AllowedFhirServers:0", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>
/// The attack of issue 16 end to end, with the real HTTP client: a loopback listener stands where the attacker wants
/// the EHR's token sent, and must see no connection.
/// </summary>
public sealed class FhirServerCallbackTests : IDisposable
{
    private readonly TcpListener _target = new(IPAddress.Loopback, 0);
    private readonly TcpListener _allowed = new(IPAddress.Loopback, 0);
    private readonly ClinicalApiFactory _factory;

    public FhirServerCallbackTests()
    {
        _target.Start();
        _allowed.Start();
        _factory = new ClinicalApiFactory
        {
            Settings = new Dictionary<string, string?>
            {
                ["Clinical:CdsHooks:AllowedFhirServers:0"] = $"http://127.0.0.1:{Port(_allowed)}",
                ["Clinical:CdsHooks:AllowedFhirServers:1"] = $"http://127.0.0.1:{Port(_target)}/fhir",
                ["Clinical:CdsHooks:FhirServerTimeoutSeconds"] = "0.5",
            },
        };
    }

    public void Dispose()
    {
        _factory.Dispose();
        _target.Dispose();
        _allowed.Dispose();
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    private async Task<HttpStatusCode> Hook(string fhirServer)
    {
        var request = JsonNode
            .Parse(FixtureFiles.PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure))!
            .AsObject();
        request["prefetch"]!.AsObject().Remove("patient");
        request["fhirServer"] = fhirServer;
        request["fhirAuthorization"] = JsonNode.Parse(
            """{"access_token":"ehr-secret-token","token_type":"Bearer","scope":"user/Patient.read","subject":"s"}"""
        );
        using var client = _factory.CreateCdsClient();
        using var response = await client.PostAsync(
            new Uri("/cds-services/hf-screening", UriKind.Relative),
            new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json")
        );
        return response.StatusCode;
    }

    [Fact]
    public async Task Given_user_info_naming_the_allowed_server_When_the_hook_fires_Then_the_target_sees_no_connection()
    {
        var status = await Hook($"http://127.0.0.1:{Port(_allowed)}@127.0.0.1:{Port(_target)}/fhir");

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.False(_target.Pending());
        Assert.False(_allowed.Pending());
    }

    [Theory]
    [InlineData("/fhir/../admin/secret")]
    [InlineData("/fhir-evil")]
    public async Task Given_a_path_off_the_allowed_base_When_the_hook_fires_Then_the_server_sees_no_connection(
        string path
    )
    {
        var status = await Hook($"http://127.0.0.1:{Port(_target)}{path}");

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.False(_target.Pending());
    }

    [Fact]
    public async Task Given_the_allowed_base_When_the_hook_fires_Then_the_listener_does_see_the_call()
    {
        // The control: the same listener notices a connection when the server is allowed.
        await Hook($"http://127.0.0.1:{Port(_target)}/fhir");

        Assert.True(_target.Pending());
    }
}
