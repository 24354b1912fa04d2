using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Clinical.Api.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Api.Tests.Hosting;

public sealed class IssuerKeysTests
{
    private const string Discovery = TestIdentityProvider.BaseUrl + "/cds-services";

    private static async Task<HttpStatusCode> Get(ClinicalApiFactory host, string token)
    {
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync(new Uri("/cds-services", UriKind.Relative));
        return response.StatusCode;
    }

    [Fact]
    public async Task Given_an_issuer_with_a_JWKS_URL_When_its_token_arrives_Then_keys_are_fetched_once_and_it_passes()
    {
        using var jwks = new JwksEndpoint(await File.ReadAllTextAsync(TestIdentityProvider.JwksFile));
        using var host = new ClinicalApiFactory
        {
            Settings = new Dictionary<string, string?>
            {
                ["Clinical:Auth:Issuers:1:Issuer"] = "https://idp2.test.example",
                ["Clinical:Auth:Issuers:1:JwksUrl"] = "https://idp2.test.example/.well-known/jwks.json",
            },
            Edges = services =>
                services.AddHttpClient(JwksKeyStore.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => jwks),
        };

        Assert.Equal(
            HttpStatusCode.OK,
            await Get(host, TestIdentityProvider.Mint(Discovery, issuer: "https://idp2.test.example"))
        );
        Assert.Equal(
            HttpStatusCode.OK,
            await Get(host, TestIdentityProvider.Mint(Discovery, issuer: "https://idp2.test.example"))
        );
        Assert.Equal(1, jwks.Calls);
    }

    [Fact]
    public async Task Given_the_development_key_in_Development_When_a_token_uses_it_Then_it_is_accepted_with_a_warning()
    {
        var logs = new Pipeline.CapturingLoggerProvider();
        using var host = new ClinicalApiFactory
        {
            Settings = new Dictionary<string, string?> { ["Clinical:Auth:DevelopmentKey"] = "true" },
            Edges = services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs),
        };
        using var client = host.CreateClient();
        var pem = await File.ReadAllTextAsync(
            Path.Combine(Path.GetDirectoryName(host.DatabaseFile)!, "development-signing-key.pem")
        );
        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        var token = TestIdentityProvider.Mint(
            Discovery,
            issuer: AuthOptions.DevelopmentIssuer,
            credentials: new SigningCredentials(
                new ECDsaSecurityKey(key) { KeyId = "development" },
                SecurityAlgorithms.EcdsaSha384
            )
        );

        Assert.Equal(HttpStatusCode.OK, await Get(host, token));
        Assert.Contains("DEVELOPMENT AUTHENTICATION KEY IN USE", logs.Text(), StringComparison.Ordinal);
    }

    private sealed class JwksEndpoint(string json) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request,
            CancellationToken cancellationToken
        )
        {
            Calls++;
            return Task.FromResult(
                new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent(json, Encoding.UTF8, "application/json"),
                }
            );
        }
    }
}
