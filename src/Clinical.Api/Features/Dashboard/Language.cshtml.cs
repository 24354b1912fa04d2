using Clinical.Api.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Clinical.Api.Features.Dashboard;

/// <summary>
/// POST /dashboard/language: the chosen language in a cookie for a year; back to the page it came from.
/// </summary>
[AllowAnonymous]
public sealed class LanguageModel(DashboardCookies cookies) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/dashboard");

    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        if (DashboardAuthentication.Cultures.Any(c => c.Name == culture))
            Response.Cookies.Append(
                cookies.LanguageCookie,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture!)),
                cookies.Options(Request, TimeSpan.FromDays(365))
            );
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/dashboard");
    }
}
