using Clinical.Api.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Clinical.Api.Features.Dashboard.SignIn;

/// <summary>POST /dashboard/sign-out: ends the dashboard session.</summary>
[AllowAnonymous]
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/dashboard/sign-in");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(DashboardAuthentication.Scheme);
        return LocalRedirect("/dashboard/sign-in");
    }
}
