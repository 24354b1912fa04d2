using System.Security.Claims;
using System.Security.Cryptography;
using Clinical.Api.Errors;
using Clinical.Api.Persistence;
using Clinical.Fhir.Parsing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Api.Hosting;

/// <summary>
/// JWT bearer authentication for CDS clients and FHIR callers: asymmetric signatures only (RS384, ES384), an issuer
/// allow-list with JWKS, the exact audience for the URL called, exp/iat with a small skew, and single-use jti
/// (persisted).
/// </summary>
public static partial class ClinicalAuthentication
{
    public static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha384, SecurityAlgorithms.EcdsaSha384];

    public static IServiceCollection AddClinicalAuthentication(
        this IServiceCollection services,
        IConfiguration configuration,
        IHostEnvironment environment
    )
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        // Only an environment named exactly Development (not Staging, Prod, development-like names): a generated key
        // whose private half sits on disk must never be trusted by a deployed service.
        if (
            options.DevelopmentKey
            && !string.Equals(environment.EnvironmentName, Environments.Development, StringComparison.Ordinal)
        )
            throw new InvalidOperationException(
                "Clinical:Auth:DevelopmentKey is refused in Production and in every environment but Development "
                    + $"(this one is '{environment.EnvironmentName}'): configure Clinical:Auth:Issuers with the real "
                    + "issuers' JWKS."
            );
        services.AddSingleton(options);
        services.AddSingleton<JwksKeyStore>();
        services.AddHttpClient(
            JwksKeyStore.HttpClientName,
            client => client.Timeout = TimeSpan.FromSeconds(options.JwksTimeoutSeconds + 1)
        );
        services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = ValidationParameters();
                jwt.Events = new JwtBearerEvents
                {
                    OnMessageReceived = MessageReceived,
                    OnTokenValidated = TokenValidated,
                    OnChallenge = Challenge,
                    OnForbidden = context =>
                        OperationOutcomeExceptionHandler.WriteAsync(
                            context.HttpContext,
                            StatusCodes.Status403Forbidden,
                            [
                                new InputIssue(
                                    IssueSeverity.Error,
                                    "forbidden",
                                    "The token is valid but does not grant this: see the scopes and roles in the "
                                        + "README (Authentication)."
                                ),
                            ]
                        ),
                };
            });
        services
            .AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<JwksKeyStore>(
                (jwt, keys) =>
                    jwt.TokenValidationParameters.IssuerSigningKeyResolver = (_, token, _, _) =>
                        keys.KeysOf((token as JsonWebToken)?.Issuer)
            );
        services
            .AddAuthorizationBuilder()
            .AddPolicy(Policies.CdsClient, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(
                Policies.Screen,
                policy => policy.RequireAssertion(c => SmartScopes.Grants(c.User, "RiskAssessment", "c"))
            )
            .AddPolicy(
                Policies.ReadRiskAssessment,
                policy => policy.RequireAssertion(c => SmartScopes.Grants(c.User, "RiskAssessment", "rs"))
            )
            .AddPolicy(
                Policies.ReadFlag,
                policy => policy.RequireAssertion(c => SmartScopes.Grants(c.User, "Flag", "rs"))
            )
            .AddPolicy(
                Policies.UpdateFlag,
                policy =>
                    policy.RequireRole(Roles.Clinician).RequireAssertion(c => SmartScopes.Grants(c.User, "Flag", "u"))
            )
            .AddPolicy(Policies.Admin, policy => policy.RequireRole(Roles.Admin));
        return services;
    }

    /// <summary>
    /// What the JWT handler checks itself: the signature with an allowed algorithm. Issuer, audience and lifetime are
    /// checked by this service (<see cref="BearerToken"/>) against the allow-list, the URL called and its clock. The
    /// issuer's keys are added by <see cref="JwksKeyStore"/>; the JWT fuzz target sets its own.
    /// </summary>
    public static TokenValidationParameters ValidationParameters() =>
        new()
        {
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = Algorithms,
            TryAllIssuerSigningKeys = false,
            NameClaimType = "sub",
            RoleClaimType = "roles",
        };

    /// <summary>
    /// Development only: a locally generated ES384 key, trusted as issuer urn:clinical:development-issuer; its private
    /// key is written next to the database.
    /// </summary>
    public static void UseDevelopmentKey(WebApplication app)
    {
        var options = app.Services.GetRequiredService<AuthOptions>();
        if (options.Issuers.Count == 0 && !options.DevelopmentKey)
            LogNoIssuers(app.Logger);
        if (string.IsNullOrWhiteSpace(options.PublicBaseUrl) && !app.Environment.IsDevelopment())
            LogNoPublicBaseUrl(app.Logger);
        if (!options.DevelopmentKey)
            return;
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var file = Path.Combine(
            Path.GetDirectoryName(Path.GetFullPath(app.Services.GetRequiredService<ClinicalOptions>().Database)) ?? ".",
            "development-signing-key.pem"
        );
        PrivateFiles.CreateFolder(Path.GetDirectoryName(file)!);
        PrivateFiles.WriteAllText(file, key.ExportPkcs8PrivateKeyPem());
        app.Services.GetRequiredService<JwksKeyStore>()
            .TrustDevelopmentKey(new ECDsaSecurityKey(key) { KeyId = "development" });
        LogDevelopmentKey(app.Logger, AuthOptions.DevelopmentIssuer, file);
    }

    private static async Task MessageReceived(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return;
        var raw = header["Bearer ".Length..].Trim();
        if (BearerToken.Refusal(raw) is { } refusal)
        {
            context.Fail(new AuthFailure(refusal));
            return;
        }
        var issuer = BearerToken.Issuer(raw);
        var keys = context.HttpContext.RequestServices.GetRequiredService<JwksKeyStore>();
        if (!keys.IsTrusted(issuer))
        {
            context.Fail(new AuthFailure($"Issuer '{ErrorText.Echo(issuer)}' is not on this service's allow-list."));
            return;
        }
        await keys.EnsureLoadedAsync(issuer, context.HttpContext.RequestAborted);
        context.Token = raw;
    }

    private static async Task TokenValidated(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var options = services.GetRequiredService<AuthOptions>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();
        var token = (JsonWebToken)context.SecurityToken;
        var expected = ExpectedAudience(context.Request, options);
        var problem = BearerToken.ClaimsProblem(token, expected, now, options, out var exp);
        if (
            problem is null
            && !await FirstUseAsync(
                services.GetRequiredService<ClinicalDbContext>(),
                $"{token.Issuer}|{token.Id}",
                exp,
                now
            )
        )
            problem = "Token jti has already been used (replay).";
        if (problem is not null)
            context.Fail(new AuthFailure(problem));
    }

    private static async Task<bool> FirstUseAsync(ClinicalDbContext db, string key, long expiresAt, long now)
    {
        if (await db.UsedTokenIds.AnyAsync(u => u.Key == key))
            return false;
        var entry = db.UsedTokenIds.Add(new UsedTokenId { Key = key, ExpiresAt = expiresAt });
        try
        {
            await db.SaveChangesAsync();
            if (Random.Shared.Next(512) == 0)
                await db.UsedTokenIds.Where(u => u.ExpiresAt < now - 3600).ExecuteDeleteAsync();
            return true;
        }
        catch (DbUpdateException)
        {
            // A replay is the key already stored (two uses racing); any other failure, such as a database busy past its
            // timeout, is not the caller's fault and must not read as a replay.
            entry.State = EntityState.Detached;
            if (await db.UsedTokenIds.AnyAsync(u => u.Key == key))
                return false;
            throw;
        }
        finally
        {
            entry.State = EntityState.Detached;
        }
    }

    private static Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var reason = context.AuthenticateFailure switch
        {
            null => "A bearer token is required (Authorization: Bearer <JWT>).",
            AuthFailure failure => failure.Message,
            SecurityTokenSignatureKeyNotFoundException =>
                "No key of the issuer's JWKS matches the token (kid); the signature cannot be checked.",
            SecurityTokenInvalidSignatureException => "The token signature is invalid.",
            SecurityTokenInvalidAlgorithmException => "Token algorithm is refused; sign with RS384 or ES384.",
            SecurityTokenMalformedException => "The bearer token is not a well-formed JWT.",
            _ => "The bearer token was rejected.",
        };
        context.Response.Headers.WWWAuthenticate =
            $"Bearer error=\"invalid_token\", error_description=\"{ErrorText.ForHeader(reason)}\"";
        return OperationOutcomeExceptionHandler.WriteAsync(
            context.HttpContext,
            StatusCodes.Status401Unauthorized,
            [new InputIssue(IssueSeverity.Error, "login", reason)]
        );
    }

    /// <summary>CDS Hooks: aud is the exact URL called; FHIR (SMART): aud is the FHIR base URL.</summary>
    public static string ExpectedAudience(HttpRequest request, AuthOptions options)
    {
        var baseUrl = (options.PublicBaseUrl ?? $"{request.Scheme}://{request.Host}").TrimEnd('/');
        var path = request.Path.Value ?? "";
        return path.StartsWith("/fhir", StringComparison.Ordinal) ? $"{baseUrl}/fhir" : $"{baseUrl}{path}";
    }

    /// <summary>Who is calling, for audit: the token subject at its issuer.</summary>
    public static string Caller(ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value is { } sub ? $"{sub}@{user.FindFirst("iss")?.Value}" : "anonymous";

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "DEVELOPMENT AUTHENTICATION KEY IN USE: tokens signed by the generated ES384 key (issuer {Issuer}, "
            + "private key {File}) are trusted. Never use this outside a developer machine."
    )]
    private static partial void LogDevelopmentKey(ILogger logger, string issuer, string file);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "No token issuers are configured (Clinical:Auth:Issuers): every protected endpoint will answer 401"
    )]
    private static partial void LogNoIssuers(ILogger logger);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Clinical:Auth:PublicBaseUrl is not set: token audiences are checked against the request's own "
            + "scheme and host"
    )]
    private static partial void LogNoPublicBaseUrl(ILogger logger);

    /// <summary>A refusal whose message is the reason given to the caller (401 body and WWW-Authenticate).</summary>
    private sealed class AuthFailure(string message) : Exception(message);
}

public static class Policies
{
    public const string CdsClient = "cds-client";
    public const string Screen = "fhir-screen";
    public const string ReadRiskAssessment = "fhir-read-riskassessment";
    public const string ReadFlag = "fhir-read-flag";
    public const string UpdateFlag = "fhir-update-flag";
    public const string Admin = "admin";
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Clinician = "clinician";
}
