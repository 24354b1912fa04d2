using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Api.Tests.Hosting;

/// <summary>Tokens from issue 16 that answered 500 or were accepted although malformed; each must be a 401.</summary>
public sealed class BearerTokenTests(ClinicalApiFactory factory) : IClassFixture<ClinicalApiFactory>
{
    private const string Discovery = TestIdentityProvider.BaseUrl + "/cds-services";

    private async Task<HttpResponseMessage> Get(string token)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/cds-services", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        return await client.SendAsync(request);
    }

    private static async Task<string> Refused(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.All(challenge, c => Assert.InRange(c, ' ', '~'));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"resourceType\": \"OperationOutcome\"", body, StringComparison.Ordinal);
        return body;
    }

    /// <summary>A token signed by the test issuer's key, with header and payload exactly as given.</summary>
    private static string Signed(object header, object payload)
    {
        var signing = $"{B64(header)}.{B64(payload)}";
        var signature = TestIdentityProvider.Ec.ECDsa.SignData(
            System.Text.Encoding.ASCII.GetBytes(signing),
            System.Security.Cryptography.HashAlgorithmName.SHA384
        );
        return $"{signing}.{Base64UrlEncoder.Encode(signature)}";
    }

    private static string B64(object value) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(value));

    private static Dictionary<string, object> Claims(Action<Dictionary<string, object>>? change = null)
    {
        var now = ClinicalApiFactory.Now.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = TestIdentityProvider.Issuer,
            ["aud"] = Discovery,
            ["sub"] = "ehr-client",
            ["iat"] = now,
            ["exp"] = now + 300,
            ["jti"] = Guid.NewGuid().ToString(),
        };
        change?.Invoke(claims);
        return claims;
    }

    private static readonly object Es384 = new
    {
        alg = "ES384",
        typ = "JWT",
        kid = "test-es384",
    };

    [Fact]
    public async Task Given_a_signed_token_built_by_hand_When_calling_Then_200()
    {
        using var response = await Get(Signed(Es384, Claims()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Given_a_token_over_the_longest_lifetime_When_calling_Then_401_with_an_ASCII_challenge()
    {
        using var response = await Get(TestIdentityProvider.Mint(Discovery, lifetime: TimeSpan.FromDays(2)));

        var body = await Refused(response);
        Assert.Contains("Token lifetime (exp − iat) exceeds", body, StringComparison.Ordinal);
        Assert.Contains("(exp - iat)", response.Headers.WwwAuthenticate.Single().ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://idp.test.example\u2212evil")]
    [InlineData("https://idp.test.example\r\nSet-Cookie: x=1")]
    [InlineData("https://ñandú.example")]
    public async Task Given_an_issuer_with_non_ASCII_or_CR_LF_When_calling_Then_401_not_500(string issuer)
    {
        using var response = await Get(Signed(Es384, Claims(c => c["iss"] = issuer)));

        var body = await Refused(response);
        Assert.Contains("is not on this service's allow-list", body, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("ES384\u2212")]
    [InlineData("ES384\r\nX: y")]
    [InlineData("ÉS384")]
    public async Task Given_an_alg_with_non_ASCII_or_CR_LF_When_calling_Then_401_not_500(string alg)
    {
        using var response = await Get(Signed(new { alg, typ = "JWT" }, Claims()));

        var body = await Refused(response);
        Assert.Contains("is refused", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RSA-OAEP", false)]
    [InlineData("ES384", false)]
    [InlineData("RSA-OAEP", true)]
    public async Task Given_a_five_part_JWE_shaped_token_When_calling_Then_401_saying_encrypted_tokens_are_refused(
        string alg,
        bool issuerInHeader
    )
    {
        var header = issuerInHeader
            ? B64(
                new
                {
                    alg,
                    enc = "A256GCM",
                    iss = TestIdentityProvider.Issuer,
                }
            )
            : B64(
                new
                {
                    alg,
                    enc = "A256GCM",
                    kid = "test-rs384",
                }
            );
        // The last shape (segments that are not even base64 JSON) answered 500 before.
        var token = issuerInHeader
            ? $"{header}.a.b.c.d"
            : $"{header}.{B64(new { x = 1 })}.{B64(new { y = 2 })}.{B64(new { z = 3 })}.{B64(new { w = 4 })}";

        using var response = await Get(token);

        Assert.Contains("Encrypted tokens (JWE", await Refused(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_ES384_JWE_header_with_enc_When_calling_Then_401()
    {
        using var response = await Get(Signed(new { alg = "ES384", enc = "A256GCM" }, Claims()));

        Assert.Contains("Encrypted tokens (JWE)", await Refused(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_signed_token_with_a_critical_header_When_calling_Then_401_naming_crit()
    {
        var header = new Dictionary<string, object>
        {
            ["alg"] = "ES384",
            ["kid"] = "test-es384",
            ["crit"] = new[] { "exp-policy" },
            ["exp-policy"] = "strict",
        };

        using var response = await Get(Signed(header, Claims()));

        Assert.Contains("critical extensions (crit)", await Refused(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("iat")]
    public async Task Given_a_signed_token_whose_date_claim_is_a_string_When_calling_Then_401(string claim)
    {
        var token = Signed(
            Es384,
            Claims(c => c[claim] = ((long)c[claim]).ToString(System.Globalization.CultureInfo.InvariantCulture))
        );

        using var response = await Get(token);

        Assert.Contains($"Token {claim} is not a NumericDate", await Refused(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_duplicate_alg_members_When_calling_Then_401_malformed()
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"ES384","alg":"HS256","kid":"test-es384"}""");
        var token = $"{header}.{B64(Claims())}.c2ln";

        using var response = await Get(token);

        Assert.Contains("not a well-formed JWT", await Refused(response), StringComparison.Ordinal);
    }
}
