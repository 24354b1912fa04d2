using System.Net;
using System.Text;
using System.Text.Json;
using Clinical.Fuzz;
using Clinical.Fuzz.Targets;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Api.Tests.Hosting;

/// <summary>
/// The JWT fuzz target for a few seconds in every test run, and the same kind of tokens through the real host. Longer
/// runs (in-process or under AFL++): fuzz/Clinical.Fuzz/README.md.
/// </summary>
public sealed class BearerTokenFuzzTests(ClinicalApiFactory factory) : IClassFixture<ClinicalApiFactory>
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    [Fact]
    public void Given_generated_and_mutated_tokens_for_seconds_When_checked_Then_nothing_throws_and_headers_are_ASCII()
    {
        var report = FuzzRunner.Run(JwtTarget.Target, Budget, seed: 20260630);

        Assert.True(report.Failure is null, report.Failure?.ToString());
        Assert.True(report.Executions > JwtTarget.Target.Seeds.Count, $"only {report.Executions} inputs ran");
    }

    [Fact]
    public async Task Given_odd_signed_and_mutated_tokens_When_sent_to_the_host_Then_every_answer_is_200_401_or_429()
    {
        var random = new Random(20260630);
        var audience = TestIdentityProvider.BaseUrl + "/cds-services";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sent = 0;
        using var client = factory.CreateClient();
        while (clock.Elapsed < Budget || sent < 20)
        {
            var token = random.Next(2) == 0 ? OddSigned(random, audience) : Mutated(random, audience);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/cds-services", UriKind.Relative));
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");

            using var response = await client.SendAsync(request);

            sent++;
            // 429: the per-address rate limit answers before the token is read (a fast machine sends enough for it).
            Assert.True(
                response.StatusCode
                    is HttpStatusCode.OK
                        or HttpStatusCode.Unauthorized
                        or HttpStatusCode.TooManyRequests,
                $"{(int)response.StatusCode} for {token}"
            );
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                Assert.All(response.Headers.WwwAuthenticate.ToString(), c => Assert.InRange(c, ' ', '~'));
        }
    }

    /// <summary>A token of the test issuer, signed with its key, with odd header parameters or claims.</summary>
    private static string OddSigned(Random random, string audience)
    {
        var now = ClinicalApiFactory.Now.ToUnixTimeSeconds();
        var header = new Dictionary<string, object?> { ["alg"] = "ES384", ["kid"] = "test-es384" };
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = TestIdentityProvider.Issuer,
            ["aud"] = audience,
            ["sub"] = "ehr-client",
            ["iat"] = now,
            ["exp"] = now + 300,
            ["jti"] = Guid.NewGuid().ToString(),
        };
        JwtTarget.Disturb(random, header, claims);
        var signing =
            $"{Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(header))}."
            + Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = TestIdentityProvider.Ec.ECDsa.SignData(
            Encoding.ASCII.GetBytes(signing),
            System.Security.Cryptography.HashAlgorithmName.SHA384
        );
        return $"{signing}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>A valid token with a few bytes changed (kept to what a header can carry).</summary>
    private static string Mutated(Random random, string audience)
    {
        var bytes = FuzzRunner.Mutate(random, Encoding.ASCII.GetBytes(TestIdentityProvider.Mint(audience)));
        return new string(bytes.Select(b => b is >= 0x21 and <= 0x7E ? (char)b : '.').ToArray());
    }
}
