using Clinical.Api.Features.Screening;
using Clinical.Api.Persistence;
using Clinical.Tests;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Clinical.Api.Tests.Features.Dashboard;

/// <summary>Browser tests share one site, one EHR sandbox and one browser, and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardBrowser : ICollectionFixture<DashboardSite>
{
    public const string Name = "Dashboard in a browser";
}

/// <summary>
/// The real service on Kestrel (loopback, Development: the demo clinicians' sign-in), an EHR sandbox allowed to launch
/// it and offering OpenID Connect, the four fixture bundles screened through ScreenBundle, and Debian's chromium driven
/// by Playwright (never a downloaded browser).
/// </summary>
public sealed class DashboardSite : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    public int Port { get; } = EhrSandbox.FreePort();

    public string BaseUrl => $"http://localhost:{Port}";

    public EhrSandbox Ehr { get; private set; } = null!;

    public ClinicalApiFactory Factory { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    private IPlaywright? _playwright;

    /// <summary>The site's log, for a failure to quote (type and stack of an unexpected error).</summary>
    public Pipeline.CapturingLoggerProvider Logs { get; } = new();

    public static string Screenshots => Path.Combine(FixtureFiles.RepositoryRoot, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        Ehr = await EhrSandbox.StartAsync(BaseUrl);
        Factory = new ClinicalApiFactory
        {
            Settings = new Dictionary<string, string?>
            {
                ["Clinical:Auth:PublicBaseUrl"] = BaseUrl,
                ["Clinical:Dashboard:SmartIssuers:0:Iss"] = Ehr.FhirBase,
                ["Clinical:Dashboard:SmartIssuers:0:ClientId"] = EhrSandbox.ClientId,
                ["Clinical:Dashboard:Oidc:Authority"] = Ehr.BaseUrl + "/",
                ["Clinical:Dashboard:Oidc:ClientId"] = EhrSandbox.ClientId,
                ["Clinical:Dashboard:Oidc:DisplayName"] = "EHR (pruebas)",
                ["Clinical:Dashboard:Oidc:RequireHttpsMetadata"] = "false",
                ["Clinical:RateLimit:PermitsPerWindow"] = "100000",
                ["Clinical:Dashboard:HttpTimeoutSeconds"] = "60",
            },
            Edges = services =>
            {
                services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
                // The OpenID handler dates its correlation and nonce cookies; the browser expires them by its own,
                // real clock, so that handler keeps real time while the service's clock stays fixed.
                services.PostConfigure<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions>(
                    Clinical.Api.Hosting.DashboardAuthentication.OidcScheme,
                    openId => openId.TimeProvider = TimeProvider.System
                );
            },
        };
        Factory.UseKestrel(Port);
        Factory.StartServer();
        await ScreenFixturesAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Args = ["--no-sandbox"],
                Headless = true,
            }
        );
        Directory.CreateDirectory(Screenshots);
        // A first page and a first launch compile and load much (EF model, Razor, OpenIddict); done here once, so
        // that no test's own timeout pays for it on a busy two-core machine.
        var warm = await NewPageAsync();
        await warm.GotoAsync("/dashboard/sign-in");
        await warm.GotoAsync(Ehr.LaunchUrl("fx-sin-sospecha"));
        await warm.Context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Factory.DisposeAsync();
        await Ehr.DisposeAsync();
    }

    /// <summary>A fresh browser context and page (its own cookies), in the given interface language.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(
            new BrowserNewContextOptions
            {
                BaseURL = BaseUrl,
                Locale = "es-ES",
                ViewportSize = new() { Width = 1280, Height = 900 },
            }
        );
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in as one of the demo clinicians or the admin (Development sign-in).</summary>
    public async Task<IPage> SignedInAsync(string practitioner = EhrSandbox.Practitioner)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/dashboard/sign-in");
        await page.CheckAsync($"input[value='{practitioner}']");
        await page.ClickAsync("form.dev-sign-in button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
        return page;
    }

    /// <summary>
    /// Waits for the page to reach a URL; on a timeout the failure says where it is and what it shows.
    /// </summary>
    public static async Task ReachAsync(IPage page, string glob)
    {
        try
        {
            await page.WaitForURLAsync(glob, new PageWaitForURLOptions { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            var text = await page.InnerTextAsync("body");
            throw new Xunit.Sdk.XunitException($"Expected {glob}, at {page.Url}: {text[..Math.Min(600, text.Length)]}");
        }
    }

    public T InScope<T>(Func<ClinicalDbContext, T> query) => Factory.InScope(query);

    public async Task<T> InScopeAsync<T>(Func<ClinicalDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ClinicalDbContext>());
    }

    public async Task<string> FlagOfAsync(string patientReference) =>
        await InScopeAsync(db =>
            db.Screenings.Where(s => s.PatientReference == patientReference && s.FlagId != null)
                .Select(s => s.FlagId!)
                .SingleAsync()
        );

    private async Task ScreenFixturesAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        foreach (
            var fixture in new[]
            {
                FixtureFiles.PossibleUndiagnosedHeartFailure,
                FixtureFiles.CatalanSuspicion,
                FixtureFiles.DiagnosedHeartFailure,
                FixtureFiles.NoSuspicion,
            }
        )
            await mediator.Send(
                new ScreenBundle(
                    System.Text.Encoding.UTF8.GetBytes(FixtureFiles.Bundle(fixture)),
                    fixture,
                    null,
                    "test-seed",
                    Clinical.Api.Hosting.PatientAccess.AnyPatient
                )
            );
    }
}
