using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Clinical.Api.Tests.Features.Dashboard;

/// <summary>
/// The EHR at the edge, on its own loopback port: an OpenIddict 7.8 authorization server (authorization code + PKCE,
/// one public client, a signed-in practitioner who consents at once) and a minimal FHIR base (iss) that serves
/// .well-known/smart-configuration and records the ServiceRequests posted to it. Its clock starts at the test
/// service's and can be moved on (an expired code).
/// </summary>
public sealed class EhrSandbox : IAsyncDisposable
{
    public const string ClientId = "hf-dashboard";
    public const string Practitioner = "Practitioner/medico-1";
    public const string PractitionerName = "Dra. Marta Vidal";

    private static readonly string[] ChallengeMethods = ["S256"];
    private static readonly string[] Capabilities = ["launch-ehr", "client-public", "context-ehr-patient"];

    private readonly WebApplication _app;
    private readonly SqliteConnection _store = new("Data Source=:memory:");

    /// <summary>Launch context the EHR created: launch id → patient id.</summary>
    public ConcurrentDictionary<string, string> Launches { get; } = new();

    public ConcurrentQueue<string> PostedServiceRequests { get; } = new();

    public MovableClock Clock { get; } = new(ClinicalApiFactory.Now);

    public int Port { get; } = FreePort();

    public string BaseUrl => $"http://localhost:{Port}";

    public string FhirBase => $"{BaseUrl}/fhir";

    private EhrSandbox(string dashboardBaseUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<SandboxStore>(db => db.UseSqlite(_store).UseOpenIddict());
        builder
            .Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<SandboxStore>())
            .AddServer(server =>
            {
                server.SetIssuer(new Uri(BaseUrl + "/"));
                server.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                server.SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(2));
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
                server.RegisterScopes(
                    Scopes.OpenId,
                    Scopes.Profile,
                    Scopes.Roles,
                    "launch",
                    "fhirUser",
                    "patient/*.rs",
                    "user/ServiceRequest.c"
                );
                server.Configure(options => options.TimeProvider = Clock);
                server
                    .UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });
        _app = builder.Build();
        _app.Use(Misbehave);
        _app.MapMethods("/connect/authorize", ["GET", "POST"], (Delegate)Authorize);
        _app.MapPost("/connect/token", (Delegate)Token);
        _app.MapGet(
            "/fhir/.well-known/smart-configuration",
            () =>
                Results.Json(
                    new Dictionary<string, object>
                    {
                        ["issuer"] = BaseUrl + "/",
                        ["jwks_uri"] = BaseUrl + "/.well-known/jwks",
                        ["authorization_endpoint"] = BaseUrl + "/connect/authorize",
                        ["token_endpoint"] = BaseUrl + "/connect/token",
                        ["code_challenge_methods_supported"] = ChallengeMethods,
                        ["capabilities"] = Capabilities,
                    }
                )
        );
        _app.MapPost(
            "/fhir/ServiceRequest",
            async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                PostedServiceRequests.Enqueue($"{request.Headers.Authorization} {await reader.ReadToEndAsync()}");
                return Results.Created($"{FhirBase}/ServiceRequest/ehr-{PostedServiceRequests.Count}", null);
            }
        );
        DashboardBaseUrl = dashboardBaseUrl;
    }

    public string DashboardBaseUrl { get; }

    public static async Task<EhrSandbox> StartAsync(string dashboardBaseUrl)
    {
        var sandbox = new EhrSandbox(dashboardBaseUrl);
        await sandbox._store.OpenAsync();
        await using (var scope = sandbox._app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SandboxStore>().Database.EnsureCreatedAsync();
            await scope
                .ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>()
                .CreateAsync(
                    new OpenIddictApplicationDescriptor
                    {
                        ClientId = ClientId,
                        ClientType = ClientTypes.Public,
                        RedirectUris =
                        {
                            new Uri(dashboardBaseUrl + "/dashboard/launch/callback"),
                            new Uri(dashboardBaseUrl + "/dashboard/signin-oidc"),
                        },
                        Permissions =
                        {
                            Permissions.Endpoints.Authorization,
                            Permissions.Endpoints.Token,
                            Permissions.GrantTypes.AuthorizationCode,
                            Permissions.ResponseTypes.Code,
                            Permissions.Scopes.Profile,
                            Permissions.Scopes.Roles,
                            Permissions.Prefixes.Scope + "launch",
                            Permissions.Prefixes.Scope + "fhirUser",
                            Permissions.Prefixes.Scope + "patient/*.rs",
                            Permissions.Prefixes.Scope + "user/ServiceRequest.c",
                        },
                        Requirements = { Requirements.Features.ProofKeyForCodeExchange },
                    }
                );
        }
        await sandbox._app.StartAsync();
        return sandbox;
    }

    /// <summary>The EHR creates a launch context for a patient and returns the dashboard URL it opens.</summary>
    public string LaunchUrl(string patientId, string? iss = null)
    {
        var launch = Guid.NewGuid().ToString("N");
        Launches[launch] = patientId;
        return $"{DashboardBaseUrl}/dashboard/launch?iss={Uri.EscapeDataString(iss ?? FhirBase)}&launch={launch}";
    }

    /// <summary>
    /// The next authorization answers with a state other than the one it was sent (a forged callback).
    /// </summary>
    public bool ForgeNextState { get; set; }

    /// <summary>The next code is issued and then the sandbox's clock jumps past the code's lifetime.</summary>
    public bool ExpireNextCode { get; set; }

    private async Task Misbehave(HttpContext http, RequestDelegate next)
    {
        var authorize = http.Request.Path.StartsWithSegments("/connect/authorize");
        if (authorize && ForgeNextState)
        {
            ForgeNextState = false;
            http.Response.OnStarting(() =>
            {
                var location = http.Response.Headers.Location.ToString();
                http.Response.Headers.Location = System.Text.RegularExpressions.Regex.Replace(
                    location,
                    "state=[^&]+",
                    "state=forged"
                );
                return Task.CompletedTask;
            });
        }
        await next(http);
        if (authorize && ExpireNextCode)
        {
            ExpireNextCode = false;
            Clock.Advance(TimeSpan.FromMinutes(5));
        }
    }

    /// <summary>The practitioner signs in and consents at once; a launch id puts its patient in the context.</summary>
    private async Task<IResult> Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("No OIDC request.");
        var identity = new ClaimsIdentity(
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme,
            Claims.Name,
            Claims.Role
        );
        identity.SetClaim(Claims.Subject, "dra-vidal");
        identity.SetClaim(Claims.Name, PractitionerName);
        identity.SetClaim("fhirUser", $"{FhirBase}/{Practitioner}");
        identity.SetClaims("roles", ["clinician"]);
        if (request.GetParameter("launch")?.ToString() is { } launch && Launches.TryGetValue(launch, out var patient))
            identity.SetClaim("patient", patient);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(claim =>
            claim.Type switch
            {
                Claims.Name or "fhirUser" or "roles" => [Destinations.IdentityToken, Destinations.AccessToken],
                "patient" => [],
                _ => [Destinations.AccessToken],
            }
        );
        await Task.CompletedTask;
        return Results.SignIn(
            new ClaimsPrincipal(identity),
            null,
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme
        );
    }

    /// <summary>Redeems the code; the launch's patient goes into the token response (SMART's "patient").</summary>
    private static async Task<IResult> Token(HttpContext http)
    {
        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (result.Principal is not { } principal)
            return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        var properties = new AuthenticationProperties();
        if (principal.GetClaim("patient") is { } patient)
            properties.Parameters["patient"] = patient;
        return Results.SignIn(principal, properties, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _store.DisposeAsync();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class SandboxStore(DbContextOptions<SandboxStore> options) : DbContext(options);
}

/// <summary>A clock the test moves on.</summary>
public sealed class MovableClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
