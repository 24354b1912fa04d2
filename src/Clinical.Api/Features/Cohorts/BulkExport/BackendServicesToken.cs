using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Api.Features.Cohorts.BulkExport;

/// <summary>
/// SMART Backend Services (https://hl7.org/fhir/smart-app-launch/backend-services.html): the token endpoint is read
/// from {base}/.well-known/smart-configuration (or configured), and an access token is obtained with
/// grant_type=client_credentials and a client assertion: a JWT signed with the client's private key (ES384 or
/// RS384), iss = sub = client_id, aud = the token URL, exp five minutes ahead (the most SMART allows), a fresh jti
/// and the key's kid in its header. The token is reused until shortly before it expires and renewed when the EHR
/// rejects it. Neither the key nor any token is ever logged or written to disk.
/// </summary>
public sealed class BackendServicesToken(BulkExportOptions options, TimeProvider clock) : IDisposable
{
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public static readonly TimeSpan AssertionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A token without expires_in is assumed to last this long (SMART recommends at most five minutes).
    /// </summary>
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Uri> _endpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Token, DateTimeOffset RenewAt)> _tokens = new(StringComparer.Ordinal);
    private readonly Lazy<SigningCredentials> _credentials = new(() =>
        ClientSigningKey.Load(
            options.PrivateKeyFile is { Length: > 0 } file
                ? file
                : throw new InvalidOperationException(
                    "Clinical:BulkExport:ClientId is set but PrivateKeyFile is not: "
                        + "SMART Backend Services needs the client's private key."
                ),
            options.KeyId
        )
    );

    /// <summary>False when no client id is configured: the EHR is then called without a token.</summary>
    public bool IsConfigured => !string.IsNullOrEmpty(options.ClientId);

    /// <summary>
    /// A valid access token for the export's EHR, or null when no client is configured. <paramref name="rejected"/>
    /// is a token the EHR just refused: it is not handed out again.
    /// </summary>
    public async Task<string?> GetAsync(ExportHttp http, string? rejected, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
            return null;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var tokenUrl = await TokenEndpointAsync(http, cancellationToken);
            var key = $"{tokenUrl}|{options.ClientId}|{options.Scope}";
            if (
                _tokens.TryGetValue(key, out var cached)
                && cached.Token != rejected
                && clock.GetUtcNow() < cached.RenewAt
            )
                return cached.Token;
            var (token, lifetime) = await RequestAsync(http, tokenUrl, cancellationToken);
            // Renew a minute early, or at three quarters of a short lifetime, so a token never expires mid-request.
            var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, lifetime.Ticks / 4));
            _tokens[key] = (token, clock.GetUtcNow() + lifetime - margin);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The signed client assertion for one token request (each call has a new jti).</summary>
    public string Assertion(Uri tokenUrl)
    {
        var now = clock.GetUtcNow();
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
            new SecurityTokenDescriptor
            {
                Issuer = options.ClientId,
                Audience = tokenUrl.AbsoluteUri,
                Claims = new Dictionary<string, object>
                {
                    ["sub"] = options.ClientId!,
                    ["jti"] = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
                },
                IssuedAt = now.UtcDateTime,
                Expires = (now + AssertionLifetime).UtcDateTime,
                SigningCredentials = _credentials.Value,
                AdditionalHeaderClaims = options.JwksUrl is { Length: > 0 } jku
                    ? new Dictionary<string, object> { ["jku"] = jku }
                    : null,
            }
        );
    }

    private async Task<Uri> TokenEndpointAsync(ExportHttp http, CancellationToken cancellationToken)
    {
        if (options.TokenEndpoint is { Length: > 0 } configured)
            return http.Policy.Check(new Uri(configured), "the token endpoint");
        var baseUrl = http.Policy.FhirBase.AbsoluteUri;
        if (_endpoints.TryGetValue(baseUrl, out var known))
            return known;
        var discovery = new Uri(http.Policy.FhirBase, ".well-known/smart-configuration");
        using var response = await http.SendAsync(
            HttpMethod.Get,
            discovery,
            "SMART configuration",
            cancellationToken,
            request => request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json")),
            withToken: false
        );
        if (!response.IsSuccessStatusCode)
            throw new BulkExportException(
                $"{discovery} answered {await ExportHttp.DescribeAsync(response, cancellationToken)}; "
                    + "set Clinical:BulkExport:TokenEndpoint if the EHR publishes its token endpoint elsewhere."
            );
        using var configuration = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = configuration.RootElement;
        if (
            !root.TryGetProperty("token_endpoint", out var endpoint)
            || !Uri.TryCreate(endpoint.GetString(), UriKind.Absolute, out var tokenUrl)
        )
            throw new BulkExportException($"{discovery} has no token_endpoint.");
        var algorithm = _credentials.Value.Algorithm;
        if (
            root.TryGetProperty("token_endpoint_auth_signing_alg_values_supported", out var algorithms)
            && algorithms.ValueKind == JsonValueKind.Array
            && algorithms.EnumerateArray().All(a => a.GetString() != algorithm)
        )
            throw new BulkExportException(
                $"The EHR's token endpoint does not accept {algorithm} client assertions "
                    + $"(it lists {algorithms}); configure a key of an algorithm it accepts (ES384 or RS384)."
            );
        _endpoints[baseUrl] = http.Policy.Check(tokenUrl, "the token endpoint");
        return tokenUrl;
    }

    private async Task<(string Token, TimeSpan Lifetime)> RequestAsync(
        ExportHttp http,
        Uri tokenUrl,
        CancellationToken cancellationToken
    )
    {
        using var response = await http.SendAsync(
            HttpMethod.Post,
            tokenUrl,
            "the token request",
            cancellationToken,
            request =>
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                request.Content = new FormUrlEncodedContent(
                    new Dictionary<string, string>
                    {
                        ["grant_type"] = "client_credentials",
                        ["scope"] = options.Scope,
                        ["client_assertion_type"] = AssertionType,
                        ["client_assertion"] = Assertion(tokenUrl),
                    }
                );
            },
            withToken: false
        );
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new BulkExportException($"The token endpoint answered HTTP {(int)response.StatusCode}, not JSON.");
        }
        string? Text(string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) ? v.ToString() : null;
        if (!response.IsSuccessStatusCode || Text("access_token") is not { Length: > 0 } token)
            throw new BulkExportException(
                $"The EHR refused the client credentials (HTTP {(int)response.StatusCode}): "
                    + $"{Text("error") ?? "no error code"}"
                    + (Text("error_description") is { } description ? $" ({description})" : "")
                    + $". Check Clinical:BulkExport:ClientId ({options.ClientId}), the key and its kid, and the scope "
                    + $"({options.Scope})."
            );
        var lifetime =
            root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : DefaultLifetime;
        return (token, lifetime);
    }

    public void Dispose() => _gate.Dispose();
}
