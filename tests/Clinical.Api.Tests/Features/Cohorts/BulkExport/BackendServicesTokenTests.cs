using System.Security.Cryptography;
using Clinical.Api.Features.Cohorts.BulkExport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Api.Tests.Features.Cohorts.BulkExport;

public sealed class BackendServicesTokenTests
{
    [Theory]
    [InlineData(ClientKeyKind.EcPem, "ES384", "client-es384")]
    [InlineData(ClientKeyKind.RsaJwk, "RS384", "client-rs384")]
    public async Task Given_a_client_key_When_exporting_Then_the_EHR_verifies_a_SMART_client_assertion(
        ClientKeyKind kind,
        string algorithm,
        string kid
    )
    {
        await using var test = await BulkExportTestHost.StartAsync(kind);

        await test.ExportAsync();

        Assert.Empty(test.Server.Refusals);
        var assertion = Assert.Single(test.Server.Assertions);
        Assert.Equal(algorithm, assertion.Alg);
        Assert.Equal(kid, assertion.Kid);
        Assert.Equal(BulkDataTestServer.ClientId, assertion.Issuer);
        Assert.Equal(BulkDataTestServer.ClientId, assertion.Subject);
        Assert.Equal([test.Server.TokenUrl], assertion.Audiences);
        Assert.Equal(TimeSpan.FromMinutes(5), assertion.ValidTo - assertion.IssuedAt);
        Assert.Matches("^[0-9a-f]{32}$", assertion.Id);
        Assert.Equal(["system/*.rs"], test.Server.Scopes);
    }

    [Fact]
    public async Task Given_one_token_When_an_export_makes_many_requests_Then_it_is_reused()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        test.Server.Script.AddRange([new StatusStep(202, RetryAfter: 10), new StatusStep(202, RetryAfter: 10)]);

        await test.ExportAsync();

        Assert.Equal(1, test.Server.TokensIssued);
        Assert.True(test.Server.Requests.Count(r => r.Authorization is not null) >= 10);
    }

    [Fact]
    public async Task Given_a_token_outlived_by_the_EHR_s_waits_When_polling_Then_it_is_renewed_before_it_expires()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        test.Server.TokenLifetimeSeconds = 120;
        test.Server.Script.AddRange([
            new StatusStep(202, RetryAfter: 100),
            new StatusStep(202, RetryAfter: 100),
            new StatusStep(202, RetryAfter: 100),
        ]);

        await test.ExportAsync();

        Assert.Equal(0, test.Server.ExpiredTokensSeen);
        Assert.Equal(4, test.Server.TokensIssued); // at 0, 100, 200 and 300 s: each renewed 30 s before expiry
        Assert.Equal(4, test.Server.Assertions.Select(a => a.Id).Distinct().Count());
    }

    [Fact]
    public async Task Given_a_key_the_EHR_does_not_know_When_exporting_Then_its_refusal_is_reported_and_no_kick_off()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        test.Server.RegisteredKey = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP384))
        {
            KeyId = "client-es384",
        };

        var failure = await Assert.ThrowsAsync<BulkExportException>(() => test.ExportAsync());

        Assert.StartsWith("The EHR refused the client credentials (HTTP 400): invalid_client", failure.Message);
        Assert.Contains("invalid assertion", failure.Message, StringComparison.Ordinal);
        Assert.Empty(test.Server.KickOffs);
    }

    /// <summary>The test EHR's own checks bite, so the client's passing tests mean something.</summary>
    [Theory]
    [InlineData("replayed", "jti is missing or was used before")]
    [InlineData("audience", "invalid assertion: SecurityTokenInvalidAudienceException")]
    [InlineData("ten minutes", "exp is more than five minutes ahead")]
    [InlineData("other kid", "kid other is not registered")]
    public async Task Given_a_bad_client_assertion_When_posted_to_the_test_EHR_Then_it_is_refused(
        string flaw,
        string reason
    )
    {
        await using var test = await BulkExportTestHost.StartAsync();
        var key = ClientSigningKey.Load(test.KeyFile, "client-es384");
        var now = test.Clock.GetUtcNow();
        string Sign(string audience, TimeSpan lifetime, string jti, string? kid = null)
        {
            var credentials = kid is null
                ? key
                : new SigningCredentials(
                    new ECDsaSecurityKey(((ECDsaSecurityKey)key.Key).ECDsa) { KeyId = kid },
                    key.Algorithm
                );
            return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
                new SecurityTokenDescriptor
                {
                    Issuer = BulkDataTestServer.ClientId,
                    Audience = audience,
                    Claims = new Dictionary<string, object> { ["sub"] = BulkDataTestServer.ClientId, ["jti"] = jti },
                    IssuedAt = now.UtcDateTime,
                    Expires = (now + lifetime).UtcDateTime,
                    SigningCredentials = credentials,
                }
            );
        }
        var assertion = flaw switch
        {
            "audience" => Sign(test.Server.FhirBase, TimeSpan.FromMinutes(5), "a1"),
            "ten minutes" => Sign(test.Server.TokenUrl, TimeSpan.FromMinutes(10), "a2"),
            "other kid" => Sign(test.Server.TokenUrl, TimeSpan.FromMinutes(5), "a3", kid: "other"),
            _ => Sign(test.Server.TokenUrl, TimeSpan.FromMinutes(5), "a4"),
        };
        using var http = new HttpClient();
        async Task<HttpResponseMessage> Post() =>
            await http.PostAsync(
                test.Server.TokenUrl,
                new FormUrlEncodedContent(
                    new Dictionary<string, string>
                    {
                        ["grant_type"] = "client_credentials",
                        ["scope"] = "system/*.rs",
                        ["client_assertion_type"] = BackendServicesToken.AssertionType,
                        ["client_assertion"] = assertion,
                    }
                )
            );
        if (flaw == "replayed")
            Assert.True((await Post()).IsSuccessStatusCode);

        using var response = await Post();

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(reason, test.Server.Refusals.Last());
    }

    [Fact]
    public async Task Given_an_EHR_without_SMART_configuration_When_a_token_endpoint_is_configured_Then_it_is_used()
    {
        await using var test = await BulkExportTestHost.StartAsync(settings: server => new Dictionary<string, string?>
        {
            [$"{BulkExportOptions.Section}:TokenEndpoint"] = server.TokenUrl,
        });

        await test.ExportAsync();

        Assert.DoesNotContain(test.Server.Requests, r => r.Path.Contains(".well-known", StringComparison.Ordinal));
        Assert.Single(test.Server.Assertions);
    }

    [Theory]
    [InlineData("p256", "ES384 needs an EC key on P-384")]
    [InlineData("rsa1024", "at least 2048 bits")]
    [InlineData("public", "holds no private key")]
    [InlineData("garbage", "is not a usable private key")]
    public void Given_an_unusable_key_file_When_loaded_Then_the_error_names_the_file_and_never_its_contents(
        string kind,
        string expected
    )
    {
        var path = Path.GetTempFileName();
        try
        {
            using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var rsa = RSA.Create(1024);
            using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            var text = kind switch
            {
                "p256" => p256.ExportPkcs8PrivateKeyPem(),
                "rsa1024" => rsa.ExportPkcs8PrivateKeyPem(),
                "public" => p384.ExportSubjectPublicKeyInfoPem(),
                _ => "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
            };
            File.WriteAllText(path, text);

            var failure = Assert.Throws<InvalidOperationException>(() => ClientSigningKey.Load(path, "kid"));

            Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
            Assert.Contains(path, failure.Message, StringComparison.Ordinal);
            var body = text.Split('\n')[1];
            Assert.DoesNotContain(body, failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Given_a_PEM_key_without_a_configured_kid_When_loaded_Then_the_error_asks_for_KeyId()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            File.WriteAllText(path, ec.ExportPkcs8PrivateKeyPem());

            var failure = Assert.Throws<InvalidOperationException>(() => ClientSigningKey.Load(path, null));

            Assert.Contains("Clinical:BulkExport:KeyId", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
