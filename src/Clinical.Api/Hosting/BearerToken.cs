using System.Text.Json;
using Clinical.Api.Errors;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Api.Hosting;

/// <summary>
/// The checks on a bearer token that this service makes itself, on the token's own JSON (RFC 7515, RFC 7519): its
/// shape before any key is looked up, and its claims after the signature holds. Every check answers a reason or null
/// and never throws, whatever the bytes (the JWT fuzz target and property tests hold it to that): a reason is a 401,
/// an exception would be a 500.
/// </summary>
public static class BearerToken
{
    /// <summary>Longest token read; a compact ES384/RS384 JWT with SMART claims is well under 8 KB.</summary>
    public const int MaxLength = 16 * 1024;

    private const string Malformed = "The bearer token is not a well-formed JWT.";

    /// <summary>
    /// Why the token is refused before its signature is checked, or null: a compact JWS of three base64url parts whose
    /// header and payload are JSON objects, alg RS384 or ES384, no critical extensions (crit: this service implements
    /// none, so a token that requires one must be refused, RFC 7515 §4.1.11), not encrypted (JWE), and a string iss.
    /// </summary>
    public static string? Refusal(string raw)
    {
        if (raw.Length is 0 or > MaxLength)
            return Malformed;
        var parts = raw.Split('.');
        if (parts.Length == 5)
            return "Encrypted tokens (JWE, five parts) are not accepted; send a signed JWT (JWS) with RS384 or ES384.";
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
            return Malformed;
        using var header = Json(parts[0]);
        using var payload = Json(parts[1]);
        if (header is null || payload is null)
            return Malformed;
        var head = header.RootElement;
        if (head.TryGetProperty("enc", out _))
            return "Encrypted tokens (JWE) are not accepted; send a signed JWT (JWS) with RS384 or ES384.";
        if (!head.TryGetProperty("alg", out var alg) || Text(alg) is not { } algorithm)
            return "Token header has no alg; sign with RS384 or ES384.";
        if (!ClinicalAuthentication.Algorithms.Contains(algorithm, StringComparer.Ordinal))
            return $"Token algorithm '{ErrorText.Echo(algorithm, 20)}' is refused; "
                + "sign with RS384 or ES384 (never 'none' or HMAC).";
        if (head.TryGetProperty("crit", out _))
            return "Token header lists critical extensions (crit) that this service does not implement (RFC 7515 "
                + "§4.1.11).";
        if (!payload.RootElement.TryGetProperty("iss", out var iss) || string.IsNullOrEmpty(Text(iss)))
            return "Token has no iss (a string naming its issuer).";
        try
        {
            _ = new JsonWebToken(raw);
        }
        catch (ArgumentException)
        {
            return Malformed;
        }
        return null;
    }

    /// <summary>The token's issuer, once <see cref="Refusal"/> has accepted it.</summary>
    public static string Issuer(string raw)
    {
        using var payload = Json(raw.Split('.')[1]);
        return Text(payload!.RootElement.GetProperty("iss"))!;
    }

    /// <summary>
    /// Why a token whose signature holds is still refused, or null: aud exactly the URL called, exp and iat as
    /// NumericDates (JSON numbers of seconds; a string is refused, RFC 7519 §2) within the clock skew, nbf if present,
    /// exp − iat within the longest lifetime, and a jti for replay detection.
    /// </summary>
    public static string? ClaimsProblem(
        JsonWebToken token,
        string expectedAudience,
        long now,
        AuthOptions options,
        out long exp
    )
    {
        exp = 0;
        using var payload = Json(token.EncodedPayload);
        if (payload is null)
            return Malformed;
        var claims = payload.RootElement;
        var skew = options.ClockSkewSeconds;
        var audiences = Audiences(claims);
        if (audiences is not [var audience] || !SameUrl(audience, expectedAudience))
            return $"Token audience must be exactly '{expectedAudience}' "
                + $"(got '{ErrorText.Echo(string.Join(", ", audiences ?? ["(not a string or list of strings)"]))}').";
        var expiry = NumericDate(claims, "exp", out exp);
        var issued = NumericDate(claims, "iat", out var iat);
        var notBefore = NumericDate(claims, "nbf", out var nbf);
        return expiry is DateClaim.Missing ? "Token has no exp."
            : expiry is DateClaim.Invalid ? "Token exp is not a NumericDate (a JSON number of seconds)."
            : issued is DateClaim.Missing ? "Token has no iat."
            : issued is DateClaim.Invalid ? "Token iat is not a NumericDate (a JSON number of seconds)."
            : notBefore is DateClaim.Invalid ? "Token nbf is not a NumericDate (a JSON number of seconds)."
            : exp + skew < now ? "Token has expired."
            : iat - skew > now ? "Token iat is in the future."
            : notBefore is DateClaim.Present && nbf - skew > now ? "Token is not valid yet (nbf)."
            : exp - iat > options.MaxTokenLifetimeSeconds
                ? $"Token lifetime (exp − iat) exceeds {options.MaxTokenLifetimeSeconds} s."
            : !claims.TryGetProperty("jti", out var jti) || string.IsNullOrEmpty(Text(jti))
                ? "Token has no jti; every token must be single-use."
            : null;
    }

    private enum DateClaim
    {
        Missing,
        Invalid,
        Present,
    }

    // Integral seconds within ±10,000 years of the epoch; fractions and exponents are refused rather than rounded.
    private static DateClaim NumericDate(JsonElement claims, string name, out long value)
    {
        value = 0;
        if (!claims.TryGetProperty(name, out var claim))
            return DateClaim.Missing;
        return
            claim.ValueKind == JsonValueKind.Number
            && claim.TryGetInt64(out value)
            && Math.Abs(value) <= 315_569_520_000L
            ? DateClaim.Present
            : DateClaim.Invalid;
    }

    private static List<string>? Audiences(JsonElement claims)
    {
        if (!claims.TryGetProperty("aud", out var aud))
            return [];
        if (aud.ValueKind == JsonValueKind.String)
            return Text(aud) is { } one ? [one] : null;
        if (aud.ValueKind != JsonValueKind.Array)
            return null;
        var all = new List<string>();
        foreach (var item in aud.EnumerateArray())
        {
            if (Text(item) is not { } one)
                return null;
            all.Add(one);
        }
        return all;
    }

    private static bool SameUrl(string a, string b) =>
        string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);

    // Duplicate member names are refused (RFC 7515 §4, RFC 7519 §4): two parsers must never read two different algs.
    private static readonly JsonDocumentOptions UniqueMembers = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// A JSON string's text, or null when the value is not a string or its text is not valid Unicode (an escaped lone
    /// surrogate: System.Text.Json throws rather than return it).
    /// </summary>
    private static string? Text(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
            return null;
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A base64url segment as a JSON object in valid UTF-8, or null when it is not one.</summary>
    private static JsonDocument? Json(string segment)
    {
        try
        {
            var bytes = Base64UrlEncoder.DecodeBytes(segment);
            if (!System.Text.Unicode.Utf8.IsValid(bytes))
                return null;
            var document = JsonDocument.Parse(bytes, UniqueMembers);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                return document;
            document.Dispose();
            return null;
        }
        // InvalidOperationException: the duplicate-member check unescapes names, and a lone surrogate (\ud800) in one
        // throws (found by the JWT fuzz target).
        catch (Exception e)
            when (e is FormatException or ArgumentException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
