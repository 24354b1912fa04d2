using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Clinical.Api.Tests.Features.Dashboard.SignIn;

[Collection(DashboardBrowser.Name)]
[Trait("Category", "Browser")]
public sealed class StandaloneSignInTests(DashboardSite site)
{
    [Fact]
    public async Task Given_the_organisations_OpenID_provider_When_signing_in_Then_the_worklist_opens_for_that_GP()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/dashboard/worklist");
        Assert.Contains("/dashboard/sign-in", page.Url, StringComparison.Ordinal);

        var visited = new List<string>();
        page.Response += (_, response) => visited.Add($"{response.Status} {response.Url}");
        await page.ClickAsync("text=Entrar con EHR (pruebas)");
        try
        {
            await DashboardSite.ReachAsync(page, "**/dashboard/worklist**");
        }
        catch (Xunit.Sdk.XunitException e)
        {
            var errors = site.Logs.Text().Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal));
            throw new Xunit.Sdk.XunitException(e.Message + "\n" + string.Join("\n", visited.Concat(errors)));
        }

        Assert.Contains("Dra. Marta Vidal", await page.InnerTextAsync("header"), StringComparison.Ordinal);
        Assert.Contains("Jaume Fictici Tres", await page.InnerTextAsync("table.worklist"), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}

/// <summary>
/// The pages' protections over HTTP, without a browser: cookies, antiforgery, roles, headers, environments.
/// </summary>
public sealed partial class DashboardSecurityTests
{
    [Fact]
    public async Task Given_Production_When_the_sign_in_page_is_served_Then_no_demo_sign_in_and_locked_cookies()
    {
        using var factory = new ClinicalApiFactory { Environment = "Production" };
        using var client = factory.CreateClient(Options());

        using var page = await client.GetAsync(new Uri("/dashboard/sign-in", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        using var demo = await client.PostAsync(
            new Uri("/dashboard/sign-in?handler=development", UriKind.Relative),
            Form(html, ("clinician", "Practitioner/medico-1"))
        );

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html lang=\"es\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("dev-sign-in", html, StringComparison.Ordinal);
        Assert.DoesNotContain("dev-banner", html, StringComparison.Ordinal);
        var cookie = Assert.Single(
            page.Headers.GetValues("Set-Cookie"),
            c => c.StartsWith("__Host-hf-antiforgery=", StringComparison.Ordinal)
        );
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(
            "script-src 'self'",
            page.Headers.GetValues("Content-Security-Policy").Single(),
            StringComparison.Ordinal
        );
        Assert.Equal(HttpStatusCode.NotFound, demo.StatusCode);
    }

    [Fact]
    public async Task Given_Development_When_a_clinician_signs_in_Then_the_cookie_is_HttpOnly_Lax_and_roles_hold()
    {
        using var factory = new ClinicalApiFactory();
        using var client = factory.CreateClient(Options());

        using var anonymous = await client.GetAsync(new Uri("/dashboard/worklist", UriKind.Relative));
        var html = await (
            await client.GetAsync(new Uri("/dashboard/sign-in", UriKind.Relative))
        ).Content.ReadAsStringAsync();
        using var forged = await client.PostAsync(
            new Uri("/dashboard/sign-in?handler=development", UriKind.Relative),
            new FormUrlEncodedContent([new("clinician", "Practitioner/medico-1")])
        );
        using var signedIn = await client.PostAsync(
            new Uri("/dashboard/sign-in?handler=development", UriKind.Relative),
            Form(html, ("clinician", "Practitioner/medico-1"))
        );
        using var worklist = await client.GetAsync(new Uri("/dashboard/worklist", UriKind.Relative));
        using var admin = await client.GetAsync(new Uri("/dashboard/admin", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains(
            "/dashboard/sign-in?returnUrl=",
            anonymous.Headers.Location?.OriginalString,
            StringComparison.Ordinal
        );
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var session = Assert.Single(
            signedIn.Headers.GetValues("Set-Cookie"),
            c => c.StartsWith("hf-dashboard=", StringComparison.Ordinal)
        );
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase); // HTTPS request: Secure even here
        Assert.Equal(HttpStatusCode.OK, worklist.StatusCode);
        Assert.Contains("dev-banner", await worklist.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.Contains("/dashboard/denied", admin.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>HTTPS (as behind TLS), cookies kept, redirects visible.</summary>
    public static WebApplicationFactoryClientOptions Options() =>
        new()
        {
            BaseAddress = new Uri("https://localhost"),
            HandleCookies = true,
            AllowAutoRedirect = false,
        };

    /// <summary>A form post carrying the page's antiforgery token.</summary>
    public static FormUrlEncodedContent Form(string html, params (string Name, string Value)[] fields)
    {
        var token = Token().Match(html).Groups[1].Value;
        return new FormUrlEncodedContent(
            fields
                .Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
                .Append(new("__RequestVerificationToken", token))
        );
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
