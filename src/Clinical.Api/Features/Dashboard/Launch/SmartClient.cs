using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Clinical.Api.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Api.Features.Dashboard.Launch;

/// <summary>
/// The app's side of SMART App Launch 2.x (EHR launch), written out because it is small and SMART-specific: the
/// endpoints come from {iss}/.well-known/smart-configuration (not OpenID discovery), the authorize request carries
/// launch and aud, and the token response carries patient. Authorization code with PKCE S256 and state; the id_token
/// (for fhirUser) is checked against the server's JWKS, issuer, audience (our client id) and the service clock.
/// </summary>
public sealed class SmartClient(IHttpClientFactory http, DashboardOptions options, TimeProvider clock)
{
    public SmartIssuer? Allowed(string? iss) =>
        string.IsNullOrWhiteSpace(iss)
            ? null
            : options.SmartIssuers.FirstOrDefault(i =>
                string.Equals(i.Iss.TrimEnd('/'), iss.TrimEnd('/'), StringComparison.Ordinal)
            );

    public async Task<SmartConfiguration> DiscoverAsync(string iss, CancellationToken cancellationToken)
    {
        using var client = http.CreateClient(DashboardAuthentication.HttpClientName);
        var configuration = await client.GetFromJsonAsync<SmartConfiguration>(
            $"{iss.TrimEnd('/')}/.well-known/smart-configuration",
            cancellationToken
        );
        if (
            configuration is not { AuthorizationEndpoint.Length: > 0, TokenEndpoint.Length: > 0 }
            || configuration.CodeChallengeMethods?.Contains("S256") != true
        )
            throw new LaunchException(LaunchFailure.Discovery);
        return configuration;
    }

    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return (verifier, challenge);
    }

    public static string State() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public string AuthorizeUrl(LaunchState state, string challenge, string launch)
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = state.ClientId,
            ["redirect_uri"] = state.RedirectUri,
            ["launch"] = launch,
            ["scope"] = options.SmartScope,
            ["state"] = state.State,
            ["aud"] = state.Iss,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(state.AuthorizationEndpoint, query);
    }

    /// <summary>Exchanges the code; the patient in context and the user (fhirUser) come back.</summary>
    public async Task<SmartSession> ExchangeAsync(LaunchState state, string code, CancellationToken cancellationToken)
    {
        using var client = http.CreateClient(DashboardAuthentication.HttpClientName);
        using var form = new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = state.RedirectUri,
                ["client_id"] = state.ClientId,
                ["code_verifier"] = state.Verifier,
            }
        );
        using var response = await client.PostAsync(new Uri(state.TokenEndpoint), form, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new LaunchException(LaunchFailure.Token);
        var token =
            await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
            ?? throw new LaunchException(LaunchFailure.Token);
        if (token is not { AccessToken.Length: > 0, Patient.Length: > 0 })
            throw new LaunchException(LaunchFailure.NoPatient);
        var identity = DashboardAuthentication.NewIdentity();
        if (token.IdToken is { Length: > 0 } idToken)
        {
            var claims = await ValidateIdTokenAsync(state, idToken, cancellationToken);
            foreach (var type in new[] { "sub", "name", DashboardAuthentication.FhirUserClaim })
                if (claims.FindFirst(type) is { } claim)
                    identity.AddClaim(new Claim(type, claim.Value));
        }
        if (identity.FindFirst("sub") is null)
            throw new LaunchException(LaunchFailure.NoUser);
        DashboardAuthentication.Session(identity, state.Issuer ?? state.Iss, state.Iss);
        return new SmartSession(identity, token.Patient, token.AccessToken);
    }

    private async Task<ClaimsIdentity> ValidateIdTokenAsync(
        LaunchState state,
        string idToken,
        CancellationToken cancellationToken
    )
    {
        if (state.JwksUri is null || state.Issuer is null)
            throw new LaunchException(LaunchFailure.IdToken);
        using var client = http.CreateClient(DashboardAuthentication.HttpClientName);
        var jwks = new JsonWebKeySet(await client.GetStringAsync(new Uri(state.JwksUri), cancellationToken));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(
            idToken,
            new TokenValidationParameters
            {
                ValidIssuer = state.Issuer,
                ValidAudience = state.ClientId,
                IssuerSigningKeys = jwks.GetSigningKeys(),
                ValidAlgorithms = [.. ClinicalAuthentication.Algorithms, SecurityAlgorithms.RsaSha256],
                LifetimeValidator = (notBefore, expires, _, _) => ServiceClock.Within(clock, notBefore, expires),
                NameClaimType = "name",
            }
        );
        return result.IsValid ? result.ClaimsIdentity : throw new LaunchException(LaunchFailure.IdToken);
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("id_token")] string? IdToken,
        [property: JsonPropertyName("patient")] string? Patient
    );
}

/// <summary>What {iss}/.well-known/smart-configuration says (the fields this app uses).</summary>
public sealed record SmartConfiguration(
    [property: JsonPropertyName("issuer")] string? Issuer,
    [property: JsonPropertyName("jwks_uri")] string? JwksUri,
    [property: JsonPropertyName("authorization_endpoint")] string? AuthorizationEndpoint,
    [property: JsonPropertyName("token_endpoint")] string? TokenEndpoint,
    [property: JsonPropertyName("code_challenge_methods_supported")] IReadOnlyList<string>? CodeChallengeMethods
);

/// <summary>
/// A launch in progress, kept in an encrypted, short-lived cookie between the redirect to the authorization server and
/// the way back: the state to compare, the PKCE verifier, and where to exchange the code.
/// </summary>
public sealed record LaunchState(
    string Iss,
    string ClientId,
    string State,
    string Verifier,
    string AuthorizationEndpoint,
    string TokenEndpoint,
    string? JwksUri,
    string? Issuer,
    string RedirectUri,
    DateTimeOffset StartedAt
)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static LaunchState? FromJson(string json) => JsonSerializer.Deserialize<LaunchState>(json);
}

/// <summary>A signed-in clinician from an EHR launch, the patient in context and the EHR's access token.</summary>
public sealed record SmartSession(ClaimsIdentity Identity, string Patient, string AccessToken);

/// <summary>Why a launch failed, shown to the clinician in their language (the code is all the URL carries).</summary>
public enum LaunchFailure
{
    MissingParameters,
    UnknownIssuer,
    Discovery,
    State,
    Denied,
    Token,
    NoPatient,
    NoUser,
    IdToken,
}

public sealed class LaunchException(LaunchFailure failure) : Exception(failure.ToString())
{
    public LaunchFailure Failure { get; } = failure;
}
