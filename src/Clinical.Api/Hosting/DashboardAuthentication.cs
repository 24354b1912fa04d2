using System.Globalization;
using System.Security.Claims;
using Clinical.Api.Features.Dashboard;
using Clinical.Api.Features.Dashboard.Launch;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Clinical.Api.Hosting;

/// <summary>
/// The clinician dashboard's sessions: an encrypted cookie (Secure, HttpOnly, SameSite=Lax so that the redirect back
/// from an authorization server carries it; sliding timeout), opened by a SMART EHR launch, by standalone OpenID
/// Connect, or in Development only by picking a demo clinician. Roles clinician and admin, as the API's "roles".
/// </summary>
public static class DashboardAuthentication
{
    public const string Scheme = "dashboard";
    public const string OidcScheme = "dashboard-oidc";
    public const string ClinicianPolicy = "dashboard-clinician";
    public const string AdminPolicy = "dashboard-admin";
    public const string HttpClientName = "dashboard";
    public const string DevelopmentIssuer = "urn:clinical:development-sign-in";

    /// <summary>Claims the session carries besides sub, iss, name and roles.</summary>
    public const string FhirUserClaim = "fhirUser";
    public const string FhirServerClaim = "fhir_server";

    public static readonly CultureInfo[] Cultures = [new("es-ES"), new("ca-ES"), new("gl-ES"), new("eu-ES")];

    /// <summary>The demo clinicians' sign-in exists only when the environment is exactly "Development".</summary>
    public static bool DevelopmentSignIn(IHostEnvironment environment) =>
        string.Equals(environment.EnvironmentName, "Development", StringComparison.Ordinal);

    public static IServiceCollection AddDashboard(
        this IServiceCollection services,
        IConfiguration configuration,
        IHostEnvironment environment
    )
    {
        var options = configuration.GetSection(DashboardOptions.Section).Get<DashboardOptions>() ?? new();
        var cookies = new DashboardCookies(secure: !DevelopmentSignIn(environment));
        services.AddSingleton(cookies);
        services.AddSingleton(options);
        services.AddHttpClient(
            HttpClientName,
            client => client.Timeout = TimeSpan.FromSeconds(options.HttpTimeoutSeconds)
        );
        services.AddSingleton<SmartClient>();
        services.AddLocalization();
        services.AddRazorPages(pages => pages.RootDirectory = "/Features/Dashboard");
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = cookies.Name("hf-antiforgery");
            antiforgery.Cookie.SecurePolicy = cookies.Policy;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.HttpOnly = true;
        });
        var authentication = services
            .AddAuthentication()
            .AddCookie(
                Scheme,
                cookie =>
                {
                    cookie.Cookie.Name = cookies.Name("hf-dashboard");
                    cookie.Cookie.SecurePolicy = cookies.Policy;
                    cookie.Cookie.HttpOnly = true;
                    cookie.Cookie.SameSite = SameSiteMode.Lax;
                    cookie.Cookie.Path = "/";
                    cookie.ExpireTimeSpan = TimeSpan.FromMinutes(options.SessionMinutes);
                    cookie.SlidingExpiration = true;
                    cookie.LoginPath = "/dashboard/sign-in";
                    cookie.LogoutPath = "/dashboard/sign-out";
                    cookie.AccessDeniedPath = "/dashboard/denied";
                    cookie.ReturnUrlParameter = "returnUrl";
                }
            );
        if (options.Oidc is { Authority.Length: > 0 } oidc)
            authentication.AddOpenIdConnect(OidcScheme, oidc.DisplayName, openId => Configure(openId, oidc, cookies));
        services
            .AddOptions<OpenIdConnectOptions>(OidcScheme)
            .Configure<TimeProvider>(
                (openId, clock) =>
                    openId.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, _) =>
                        ServiceClock.Within(clock, notBefore, expires)
            );
        services
            .AddAuthorizationBuilder()
            .AddPolicy(ClinicianPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Clinician))
            .AddPolicy(AdminPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Admin));
        return services;
    }

    private static void Configure(OpenIdConnectOptions openId, OidcProvider provider, DashboardCookies cookies)
    {
        openId.SignInScheme = Scheme;
        openId.Authority = provider.Authority;
        openId.ClientId = provider.ClientId;
        openId.ClientSecret = provider.ClientSecret;
        openId.RequireHttpsMetadata = provider.RequireHttpsMetadata;
        openId.ResponseType = OpenIdConnectResponseType.Code;
        // The code comes back on a top-level GET, so the correlation and nonce cookies can be SameSite=Lax.
        openId.ResponseMode = OpenIdConnectResponseMode.Query;
        openId.CorrelationCookie.SameSite = SameSiteMode.Lax;
        openId.NonceCookie.SameSite = SameSiteMode.Lax;
        openId.UsePkce = true;
        openId.CallbackPath = "/dashboard/signin-oidc";
        openId.SignedOutCallbackPath = "/dashboard/signout-oidc";
        openId.MapInboundClaims = false;
        openId.SaveTokens = false;
        openId.GetClaimsFromUserInfoEndpoint = false;
        openId.Scope.Clear();
        foreach (var scope in new[] { "openid", "profile", "fhirUser", "roles" })
            openId.Scope.Add(scope);
        openId.TokenValidationParameters.NameClaimType = "name";
        openId.TokenValidationParameters.RoleClaimType = "roles";
        openId.CorrelationCookie.SecurePolicy = cookies.Policy;
        openId.NonceCookie.SecurePolicy = cookies.Policy;
        openId.Events.OnTokenValidated = context =>
        {
            if (context.Principal?.Identity is ClaimsIdentity identity)
                Session(identity, provider.Authority.TrimEnd('/'), fhirServer: null);
            return Task.CompletedTask;
        };
    }

    /// <summary>
    /// Completes a session identity: the issuer (for the audit actor sub@iss), fhirUser as "Practitioner/id", and the
    /// clinician role for a practitioner.
    /// </summary>
    public static ClaimsIdentity Session(ClaimsIdentity identity, string issuer, string? fhirServer)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.FindFirst("iss") is null)
            identity.AddClaim(new Claim("iss", issuer));
        if (identity.FindFirst(FhirUserClaim) is { } fhirUser)
        {
            identity.RemoveClaim(fhirUser);
            var relative = RelativeReference(fhirUser.Value);
            identity.AddClaim(new Claim(FhirUserClaim, relative));
            if (
                relative.StartsWith("Practitioner", StringComparison.Ordinal)
                && !identity.HasClaim("roles", Roles.Clinician)
            )
                identity.AddClaim(new Claim("roles", Roles.Clinician));
        }
        if (fhirServer is not null)
            identity.AddClaim(new Claim(FhirServerClaim, fhirServer));
        return identity;
    }

    /// <summary>
    /// "https://ehr/fhir/Practitioner/123" → "Practitioner/123" (how Patient.generalPractitioner is stored).
    /// </summary>
    public static string RelativeReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var parts = reference.TrimEnd('/').Split('/');
        return parts.Length >= 2 ? $"{parts[^2]}/{parts[^1]}" : reference;
    }

    public static ClaimsPrincipal Principal(ClaimsIdentity identity) => new(identity);

    public static ClaimsIdentity NewIdentity() => new(Scheme, "name", "roles");

    public static void UseDashboard(this WebApplication app)
    {
        app.UseWhen(
            http => http.Request.Path.StartsWithSegments("/dashboard"),
            dashboard =>
            {
                // A form's redirect is held to form-action too: the OpenID provider's sign-in is one.
                var options = app.Services.GetRequiredService<DashboardOptions>();
                var formAction = options.Oidc is { Authority.Length: > 0 } oidc
                    ? $"'self' {new Uri(oidc.Authority).GetLeftPart(UriPartial.Authority)}"
                    : "'self'";
                var policy =
                    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
                    + $"connect-src 'self'; form-action {formAction}; frame-ancestors 'none'; base-uri 'none'";
                dashboard.Use(
                    (http, next) =>
                    {
                        var headers = http.Response.Headers;
                        headers.ContentSecurityPolicy = policy;
                        headers.XContentTypeOptions = "nosniff";
                        headers["Referrer-Policy"] = "no-referrer";
                        headers.CacheControl = "no-store";
                        return next(http);
                    }
                );
                // The API's default scheme is the bearer token; on the dashboard's pages the user is the session's,
                // also on the pages anyone may open (sign-in, language), so that antiforgery tokens match the user.
                dashboard.Use(
                    async (http, next) =>
                    {
                        if (http.User.Identity?.IsAuthenticated != true)
                        {
                            var session = await http.AuthenticateAsync(Scheme);
                            if (session.Succeeded)
                                http.User = session.Principal;
                        }
                        await next(http);
                    }
                );
                dashboard.UseRequestLocalization(
                    new RequestLocalizationOptions
                    {
                        DefaultRequestCulture = new RequestCulture(Cultures[0]),
                        SupportedCultures = Cultures,
                        SupportedUICultures = Cultures,
                        RequestCultureProviders =
                        [
                            new CookieRequestCultureProvider
                            {
                                CookieName = app.Services.GetRequiredService<DashboardCookies>().LanguageCookie,
                            },
                        ],
                    }
                );
            }
        );
        app.UseStaticFiles();
        app.MapRazorPages();
        app.MapSmartLaunch();
    }
}

/// <summary>Token lifetimes checked against the service clock (TimeProvider), with the API's 60 s skew.</summary>
public static class ServiceClock
{
    public static bool Within(TimeProvider clock, DateTime? notBefore, DateTime? expires)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow().UtcDateTime;
        var skew = TimeSpan.FromSeconds(60);
        return expires is { } exp && exp + skew >= now && (notBefore is not { } nbf || nbf - skew <= now);
    }
}

/// <summary>
/// The dashboard's cookies: Secure with the __Host- prefix everywhere except Development, where the demo and the
/// browser tests run over loopback HTTP (antiforgery refuses a Secure-only cookie on HTTP, and browsers refuse __Host-
/// without Secure); there they follow the request's scheme. Always HttpOnly and SameSite=Lax.
/// </summary>
public sealed class DashboardCookies(bool secure)
{
    public CookieSecurePolicy Policy { get; } = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    public string LanguageCookie => Name("hf-lang");

    public string Name(string name) => secure ? "__Host-" + name : name;

    public CookieOptions Options(HttpRequest request, TimeSpan maxAge)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CookieOptions
        {
            Secure = secure || request.IsHttps,
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = maxAge,
        };
    }
}
