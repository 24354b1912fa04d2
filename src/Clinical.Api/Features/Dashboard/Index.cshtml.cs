using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Clinical.Api.Features.Dashboard;

/// <summary>/dashboard: the worklist for clinicians, the pilot's figures for admins, else sign-in.</summary>
[AllowAnonymous]
public sealed class HomeModel : PageModel
{
    public IActionResult OnGet() =>
        LocalRedirect(
            User.IsInRole(Hosting.Roles.Admin) && !User.IsInRole(Hosting.Roles.Clinician)
                ? "/dashboard/admin"
                : "/dashboard/worklist"
        );
}
