using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Clinical.Api.Errors;
using Clinical.Api.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Fuzz.Targets;

/// <summary>
/// The JWT path, as a bearer token goes through it: <see cref="BearerToken.Refusal"/> on the raw text, the JWT
/// handler's signature check with the service's validation parameters, <see cref="BearerToken.ClaimsProblem"/> on
/// the claims of a token whose signature holds, and every reason as it is written into WWW-Authenticate. Properties:
/// nothing throws, and every header value is printable ASCII of bounded length.
/// An input starting with byte 0x01 is "header JSON 0x00 payload JSON", signed here with the target's own ES384 key,
/// so that the fuzzer reaches the claim checks; any other input is the token text itself.
/// </summary>
public static class JwtTarget
{
    public const string Audience = "https://hf.example.org/cds-services";

    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private static readonly ECDsaSecurityKey SigningKey = new(Key) { KeyId = "fuzz" };
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };
    private static readonly AuthOptions Options = new();
    private static readonly long Now = new DateTimeOffset(2026, 6, 30, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private static readonly TokenValidationParameters Parameters = WithKey(
        ClinicalAuthentication.ValidationParameters()
    );

    public static FuzzTarget Target { get; } =
        new("jwt", "Bearer token checks, signature validation and WWW-Authenticate rendering", Run, Seeds(), Generate);

    private static TokenValidationParameters WithKey(TokenValidationParameters parameters)
    {
        parameters.IssuerSigningKey = SigningKey;
        return parameters;
    }

    public static void Run(byte[] input)
    {
        var raw = input is [0x01, .. var rest] ? Sign(rest) : Encoding.UTF8.GetString(input);
        var refusal = BearerToken.Refusal(raw);
        if (refusal is not null)
        {
            Header(refusal);
            return;
        }
        Header($"Issuer '{ErrorText.Echo(BearerToken.Issuer(raw))}' is not on this service's allow-list.");
        var result = Handler.ValidateTokenAsync(raw, Parameters).GetAwaiter().GetResult();
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
            return;
        if (BearerToken.ClaimsProblem(token, Audience, Now, Options, out _) is { } problem)
            Header(problem);
    }

    /// <summary>The header value the service would write; must be printable ASCII and bounded.</summary>
    private static void Header(string reason)
    {
        var value = ErrorText.ForHeader(reason);
        if (value.Length > ErrorText.MaxHeaderCharacters + 3 || value.Any(c => c is < ' ' or > '~' or '"'))
            throw new InvalidOperationException(
                $"Unsafe WWW-Authenticate value: {Convert.ToBase64String(Encoding.UTF8.GetBytes(value))}"
            );
    }

    /// <summary>Signs "header JSON 0x00 payload JSON" (each taken as bytes, whatever they hold).</summary>
    private static string Sign(ReadOnlySpan<byte> parts)
    {
        var split = parts.IndexOf((byte)0);
        var header = split < 0 ? parts : parts[..split];
        var payload = split < 0 ? [] : parts[(split + 1)..];
        var signing = $"{Base64UrlEncoder.Encode(header.ToArray())}.{Base64UrlEncoder.Encode(payload.ToArray())}";
        var signature = Key.SignData(Encoding.ASCII.GetBytes(signing), HashAlgorithmName.SHA384);
        return $"{signing}.{Base64UrlEncoder.Encode(signature)}";
    }

    public static byte[] Structured(object header, object payload) =>
        [0x01, .. JsonSerializer.SerializeToUtf8Bytes(header), 0x00, .. JsonSerializer.SerializeToUtf8Bytes(payload)];

    private static Dictionary<string, object?> Claims() =>
        new()
        {
            ["iss"] = "https://idp.example",
            ["aud"] = Audience,
            ["sub"] = "ehr",
            ["iat"] = Now,
            ["exp"] = Now + 300,
            ["jti"] = "3f1c0a4e-6b1d-4c0e-9f55-0b7a2c7e9d11",
        };

    private static readonly string[] Critical = ["b64"];

    private static List<byte[]> Seeds()
    {
        var good = new Dictionary<string, object?>
        {
            ["alg"] = "ES384",
            ["kid"] = "fuzz",
            ["typ"] = "JWT",
        };
        return
        [
            Structured(good, Claims()),
            Encoding.UTF8.GetBytes(Sign(Structured(good, Claims()).AsSpan(1))),
            Structured(good, new Dictionary<string, object?>(Claims()) { ["exp"] = "1782813900" }),
            Structured(new Dictionary<string, object?>(good) { ["crit"] = Critical }, Claims()),
            Structured(new Dictionary<string, object?>(good) { ["enc"] = "A256GCM" }, Claims()),
            "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0."u8.ToArray(),
            "a.b.c.d.e"u8.ToArray(),
            "not.a.jwt"u8.ToArray(),
        ];
    }

    private static readonly object?[] Values =
    [
        null,
        "",
        "ES384",
        "RS384",
        "HS256",
        "none",
        "ES384\r\nX: y",
        "ÉS384",
        "https://idp.example\u2212",
        new string('x', 5000),
        0,
        -1,
        1.5,
        long.MaxValue,
        1e300,
        true,
        Array.Empty<object>(),
        new[] { "a", "b" },
        new Dictionary<string, object>(),
    ];

    private static readonly string[] HeaderNames = ["alg", "kid", "typ", "crit", "enc", "jku", "jwk", "x5u", "cty"];
    private static readonly string[] ClaimNames = ["iss", "aud", "sub", "iat", "exp", "nbf", "jti", "scope", "patient"];

    /// <summary>A signed token whose header and claims are the good ones with a few replaced by odd values.</summary>
    public static byte[] Generate(Random random)
    {
        var header = new Dictionary<string, object?> { ["alg"] = "ES384", ["kid"] = "fuzz" };
        var claims = Claims();
        Disturb(random, header, claims);
        var structured = Structured(header, claims);
        return random.Next(4) == 0 ? Encoding.UTF8.GetBytes(Sign(structured.AsSpan(1))) : structured;
    }

    /// <summary>Replaces up to three header parameters or claims by odd values (also used by the host tests).</summary>
    public static void Disturb(Random random, Dictionary<string, object?> header, Dictionary<string, object?> claims)
    {
        for (var edits = random.Next(4); edits > 0; edits--)
        {
            if (random.Next(2) == 0)
                header[HeaderNames[random.Next(HeaderNames.Length)]] = Values[random.Next(Values.Length)];
            else
                claims[ClaimNames[random.Next(ClaimNames.Length)]] = Values[random.Next(Values.Length)];
        }
    }
}
