using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Api.Tests;

/// <summary>
/// The identity provider edge: keys generated in the test, a JWKS file the service trusts, and real signed tokens.
/// </summary>
public static class TestIdentityProvider
{
    public const string Issuer = "https://idp.test.example";
    public const string BaseUrl = "http://localhost";

    private static readonly ECDsa EcKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private static readonly RSA RsaKey = RSA.Create(2048);
    private static readonly Lazy<string> Jwks = new(WriteJwks);

    public static ECDsaSecurityKey Ec { get; } = new(EcKey) { KeyId = "test-es384" };

    public static RsaSecurityKey Rsa { get; } = new(RsaKey) { KeyId = "test-rs384" };

    public static string JwksFile => Jwks.Value;

    public static IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?>
        {
            ["Clinical:Auth:PublicBaseUrl"] = BaseUrl,
            ["Clinical:Auth:Issuers:0:Issuer"] = Issuer,
            ["Clinical:Auth:Issuers:0:JwksFile"] = JwksFile,
        };

    public static string Mint(
        string audience,
        string? scope = null,
        string[]? roles = null,
        string issuer = Issuer,
        SigningCredentials? credentials = null,
        DateTimeOffset? issuedAt = null,
        TimeSpan? lifetime = null,
        string? jti = null,
        string subject = "ehr-client",
        Dictionary<string, object>? extraClaims = null
    )
    {
        var iat = issuedAt ?? ClinicalApiFactory.Now;
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["jti"] = jti ?? Guid.NewGuid().ToString() };
        foreach (var (name, value) in extraClaims ?? [])
            claims[name] = value;
        if (scope is not null)
            claims["scope"] = scope;
        if (roles is not null)
            claims["roles"] = roles;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
            new SecurityTokenDescriptor
            {
                Issuer = issuer,
                Audience = audience,
                Claims = claims,
                IssuedAt = iat.UtcDateTime,
                Expires = (iat + (lifetime ?? TimeSpan.FromMinutes(5))).UtcDateTime,
                SigningCredentials = credentials ?? new SigningCredentials(Ec, SecurityAlgorithms.EcdsaSha384),
            }
        );
    }

    /// <summary>An unsigned token (alg none), built by hand as an attacker would.</summary>
    public static string Unsigned(string audience)
    {
        static string B64(object value) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(value));
        var now = ClinicalApiFactory.Now.ToUnixTimeSeconds();
        var header = B64(new { alg = "none", typ = "JWT" });
        var payload = B64(
            new
            {
                iss = Issuer,
                aud = BaseUrl + "/cds-services",
                sub = "x",
                jti = Guid.NewGuid().ToString(),
                iat = now,
                exp = now + 300,
            }
        );
        return $"{header}.{payload}.";
    }

    public static SigningCredentials Hmac() =>
        new(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(new string('k', 64))), SecurityAlgorithms.HmacSha384);

    private static string WriteJwks()
    {
        var file = Path.Combine(Path.GetTempPath(), $"clinical-test-jwks-{Guid.NewGuid():N}.json");
        var keys = new[]
        {
            JsonWebKeyConverter.ConvertFromECDsaSecurityKey(Ec),
            JsonWebKeyConverter.ConvertFromRSASecurityKey(Rsa),
        }.Select(k =>
            new Dictionary<string, string?>
            {
                ["kty"] = k.Kty,
                ["kid"] = k.Kid,
                ["use"] = "sig",
                ["crv"] = k.Crv,
                ["x"] = k.X,
                ["y"] = k.Y,
                ["n"] = k.N,
                ["e"] = k.E,
                ["alg"] = k.Kty == "EC" ? "ES384" : "RS384",
            }
                .Where(p => p.Value is not null)
                .ToDictionary()
        );
        File.WriteAllText(file, JsonSerializer.Serialize(new { keys }));
        return file;
    }
}

/// <summary>
/// Adds a freshly minted token to each request: aud is the exact URL for CDS calls, the FHIR base for /fhir.
/// </summary>
public sealed class BearerTokenHandler(Func<string, string?> mint) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        CancellationToken cancellationToken
    )
    {
        var path = request.RequestUri!.AbsolutePath;
        var audience = path.StartsWith("/fhir", StringComparison.Ordinal)
            ? TestIdentityProvider.BaseUrl + "/fhir"
            : TestIdentityProvider.BaseUrl + path;
        if (mint(audience) is { } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return base.SendAsync(request, cancellationToken);
    }
}
