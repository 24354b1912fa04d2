using Clinical.Api.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Clinical.Api.Features.Dashboard;

/// <summary>POST /dashboard/language: the chosen language in a cookie for a year; back to the page it came from.</summary>
[AllowAnonymous]
public sealed class LanguageModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/dashboard");

    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        if (DashboardAuthentication.Cultures.Any(c => c.Name == culture))
            Response.Cookies.Append(
                DashboardAuthentication.LanguageCookie,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture!)),
                new CookieOptions
                {
                    Secure = true,
                    HttpOnly = true,
                    SameSite = SameSiteMode.Lax,
                    Path = "/",
                    MaxAge = TimeSpan.FromDays(365),
                }
            );
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/dashboard");
    }
}
