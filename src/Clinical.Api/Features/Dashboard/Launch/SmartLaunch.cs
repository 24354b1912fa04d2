using System.Security.Cryptography;
using System.Text;
using Clinical.Api.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace Clinical.Api.Features.Dashboard.Launch;

/// <summary>
/// GET /dashboard/launch?iss=…&amp;launch=… (the EHR opens it; the CDS card's smart link) and its callback: only an
/// allow-listed iss is contacted; the launch state rides in an encrypted cookie for ten minutes; the callback checks
/// state, exchanges the code and opens the patient's review. A failure shows its reason, never a token or a code.
/// </summary>
public static class SmartLaunch
{
    public const string Path = "/dashboard/launch";
    public const string CallbackPath = "/dashboard/launch/callback";
    private const string StateCookie = "hf-launch";
    private static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    public static void MapSmartLaunch(this WebApplication app)
    {
        app.MapGet(Path, StartAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(CallbackPath, CallbackAsync).AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task<IResult> StartAsync(
        HttpContext http,
        SmartClient smart,
        IDataProtectionProvider protection,
        AuthOptions auth,
        TimeProvider clock,
        string? iss,
        string? launch,
        CancellationToken cancellationToken
    )
    {
        if (string.IsNullOrWhiteSpace(iss) || string.IsNullOrWhiteSpace(launch))
            return Failed(LaunchFailure.MissingParameters);
        if (smart.Allowed(iss) is not { } issuer)
            return Failed(LaunchFailure.UnknownIssuer);
        SmartConfiguration configuration;
        try
        {
            configuration = await smart.DiscoverAsync(issuer.Iss, cancellationToken);
        }
        catch (Exception e)
            when (e
                    is HttpRequestException
                        or TaskCanceledException
                        or System.Text.Json.JsonException
                        or LaunchException
            )
        {
            return Failed(LaunchFailure.Discovery);
        }
        var (verifier, challenge) = SmartClient.Pkce();
        var state = new LaunchState(
            issuer.Iss,
            issuer.ClientId,
            SmartClient.State(),
            verifier,
            configuration.AuthorizationEndpoint!,
            configuration.TokenEndpoint!,
            configuration.JwksUri,
            configuration.Issuer,
            $"{(auth.PublicBaseUrl ?? $"{http.Request.Scheme}://{http.Request.Host}").TrimEnd('/')}{CallbackPath}",
            clock.GetUtcNow()
        );
        var cookies = http.RequestServices.GetRequiredService<DashboardCookies>();
        http.Response.Cookies.Append(
            cookies.Name(StateCookie),
            Protector(protection).Protect(state.ToJson()),
            cookies.Options(http.Request, StateLifetime)
        );
        return Results.Redirect(smart.AuthorizeUrl(state, challenge, launch));
    }

    private static async Task<IResult> CallbackAsync(
        HttpContext http,
        SmartClient smart,
        IDataProtectionProvider protection,
        TimeProvider clock,
        string? code,
        string? state,
        string? error,
        CancellationToken cancellationToken
    )
    {
        var cookies = http.RequestServices.GetRequiredService<DashboardCookies>();
        var saved = Read(http, protection, cookies.Name(StateCookie));
        http.Response.Cookies.Delete(cookies.Name(StateCookie), cookies.Options(http.Request, TimeSpan.Zero));
        if (
            saved is null
            || state is null
            || clock.GetUtcNow() - saved.StartedAt > StateLifetime
            || !CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(state),
                Encoding.UTF8.GetBytes(saved.State)
            )
        )
            return Failed(LaunchFailure.State);
        if (error is not null || string.IsNullOrEmpty(code))
            return Failed(LaunchFailure.Denied);
        SmartSession session;
        try
        {
            session = await smart.ExchangeAsync(saved, code, cancellationToken);
        }
        catch (LaunchException e)
        {
            return Failed(e.Failure);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return Failed(LaunchFailure.Token);
        }
        var properties = new AuthenticationProperties();
        properties.StoreTokens([new AuthenticationToken { Name = "access_token", Value = session.AccessToken }]);
        await http.SignInAsync(
            DashboardAuthentication.Scheme,
            DashboardAuthentication.Principal(session.Identity),
            properties
        );
        return Results.Redirect($"/dashboard/patients/{Uri.EscapeDataString(session.Patient)}");
    }

    private static LaunchState? Read(HttpContext http, IDataProtectionProvider protection, string name)
    {
        if (!http.Request.Cookies.TryGetValue(name, out var cookie) || string.IsNullOrEmpty(cookie))
            return null;
        try
        {
            return LaunchState.FromJson(Protector(protection).Unprotect(cookie));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static IDataProtector Protector(IDataProtectionProvider protection) =>
        protection.CreateProtector("Clinical.Dashboard.SmartLaunch");

    private static IResult Failed(LaunchFailure failure) =>
        Results.Redirect($"/dashboard/launch/failed?reason={failure}");
}
