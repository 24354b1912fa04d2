using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Clinical.Tests;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Api.Tests.Hosting;

public sealed class AuthenticationTests(ClinicalApiFactory factory) : IClassFixture<ClinicalApiFactory>
{
    private const string Discovery = TestIdentityProvider.BaseUrl + "/cds-services";

    private async Task<(HttpStatusCode Status, string Body)> Get(string? token, string path = "/cds-services")
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Given_an_ES384_token_for_the_exact_url_When_calling_Then_200()
    {
        var (status, _) = await Get(TestIdentityProvider.Mint(Discovery));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Given_an_RS384_token_When_calling_Then_200()
    {
        var (status, _) = await Get(
            TestIdentityProvider.Mint(
                Discovery,
                credentials: new SigningCredentials(TestIdentityProvider.Rsa, SecurityAlgorithms.RsaSha384)
            )
        );
        Assert.Equal(HttpStatusCode.OK, status);
    }

    public static TheoryData<string, string> Refused =>
        new()
        {
            { "no token", "A bearer token is required" },
            { "wrong aud", "Token audience must be exactly 'http://localhost/cds-services'" },
            { "expired", "Token has expired" },
            { "iat in the future", "Token iat is in the future" },
            { "too long", "Token lifetime (exp − iat) exceeds" },
            { "HMAC", "Token algorithm 'HS384' is refused" },
            { "alg none", "Token algorithm 'none' is refused" },
            { "unknown issuer", "Issuer 'https://evil.example' is not on this service's allow-list" },
            { "RS256", "Token algorithm 'RS256' is refused" },
            { "garbage", "not a well-formed JWT" },
        };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Given_a_bad_token_When_calling_Then_401_with_a_clear_reason(string kind, string reason)
    {
        var token = kind switch
        {
            "no token" => null,
            "wrong aud" => TestIdentityProvider.Mint(TestIdentityProvider.BaseUrl + "/cds-services/other"),
            "expired" => TestIdentityProvider.Mint(Discovery, issuedAt: ClinicalApiFactory.Now.AddMinutes(-10)),
            "iat in the future" => TestIdentityProvider.Mint(
                Discovery,
                issuedAt: ClinicalApiFactory.Now.AddMinutes(10)
            ),
            "too long" => TestIdentityProvider.Mint(Discovery, lifetime: TimeSpan.FromDays(2)),
            "HMAC" => TestIdentityProvider.Mint(Discovery, credentials: TestIdentityProvider.Hmac()),
            "alg none" => TestIdentityProvider.Unsigned(Discovery),
            "unknown issuer" => TestIdentityProvider.Mint(Discovery, issuer: "https://evil.example"),
            "RS256" => TestIdentityProvider.Mint(
                Discovery,
                credentials: new SigningCredentials(TestIdentityProvider.Rsa, SecurityAlgorithms.RsaSha256)
            ),
            _ => "not.a.jwt",
        };

        var (status, body) = await Get(token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains(reason, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_token_signed_by_a_key_not_in_the_JWKS_When_calling_Then_401()
    {
        using var stranger = System.Security.Cryptography.ECDsa.Create(
            System.Security.Cryptography.ECCurve.NamedCurves.nistP384
        );
        var token = TestIdentityProvider.Mint(
            Discovery,
            credentials: new SigningCredentials(
                new ECDsaSecurityKey(stranger) { KeyId = "test-es384" },
                SecurityAlgorithms.EcdsaSha384
            )
        );

        var (status, body) = await Get(token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("signature", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_token_already_used_When_replayed_Then_401_replay()
    {
        var token = TestIdentityProvider.Mint(Discovery);
        Assert.Equal(HttpStatusCode.OK, (await Get(token)).Status);

        var (status, body) = await Get(token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("already been used (replay)", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_used_token_When_replayed_after_a_restart_Then_still_refused()
    {
        var token = TestIdentityProvider.Mint(Discovery);
        string file;
        using (var first = new ClinicalApiFactory { KeepDatabase = true })
        {
            file = first.DatabaseFile;
            using var client = first.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(
                HttpStatusCode.OK,
                (await client.GetAsync(new Uri("/cds-services", UriKind.Relative))).StatusCode
            );
        }
        using var restarted = new ClinicalApiFactory { DatabaseFile = file };
        using var again = restarted.CreateClient();
        again.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await again.GetAsync(new Uri("/cds-services", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Given_a_fhir_token_without_the_create_scope_When_screening_Then_403()
    {
        using var client = factory.CreateFhirClient(scope: "system/RiskAssessment.rs");
        using var content = new StringContent(
            FixtureFiles.Bundle(FixtureFiles.NoSuspicion),
            Encoding.UTF8,
            "application/fhir+json"
        );

        using var response = await client.PostAsync(new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("forbidden", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_CDS_token_whose_aud_is_the_hook_When_used_on_fhir_Then_401()
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer",
            TestIdentityProvider.Mint(TestIdentityProvider.BaseUrl + "/cds-services/hf-screening", scope: "system/*.*")
        );
        using var content = new StringContent(
            FixtureFiles.Bundle(FixtureFiles.NoSuspicion),
            Encoding.UTF8,
            "application/fhir+json"
        );

        using var response = await client.PostAsync(new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(
            "'http://localhost/fhir'",
            await response.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Given_the_development_key_When_the_environment_is_Production_Then_the_host_refuses_to_start()
    {
        using var production = new ClinicalApiFactory
        {
            Environment = "Production",
            Settings = new Dictionary<string, string?> { ["Clinical:Auth:DevelopmentKey"] = "true" },
        };

        var error = Assert.ThrowsAny<Exception>(() => production.CreateClient());
        Assert.Contains("refused in Production", error.ToString(), StringComparison.Ordinal);
    }
}

public sealed class EdgeProtectionTests : IDisposable
{
    private readonly ClinicalApiFactory _factory = new()
    {
        Settings = new Dictionary<string, string?>
        {
            ["Clinical:Cors:AllowedOrigins:0"] = "https://ehr.example.org",
            ["Clinical:RateLimit:PermitsPerWindow"] = "3",
        },
    };

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Given_a_configured_origin_When_a_browser_preflights_Then_CORS_allows_it_and_not_others()
    {
        using var client = _factory.CreateClient();
        async Task<HttpResponseMessage> Preflight(string origin)
        {
            using var request = new HttpRequestMessage(
                HttpMethod.Options,
                new Uri("/cds-services/hf-screening", UriKind.Relative)
            );
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            return await client.SendAsync(request);
        }

        using var allowed = await Preflight("https://ehr.example.org");
        using var other = await Preflight("https://evil.example");

        Assert.Equal("https://ehr.example.org", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Given_a_client_over_its_rate_When_calling_again_Then_429()
    {
        using var client = _factory.CreateCdsClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync(new Uri("/cds-services", UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            statuses
        );
    }
}
