using System.Security.Claims;
using Clinical.Api.Hosting;
using Clinical.Synthetic.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Clinical.Api.Features.Dashboard.SignIn;

/// <summary>
/// GET /dashboard/sign-in: standalone sign-in through the organisation's OpenID Connect provider, and in Development
/// only (the environment exactly "Development") a choice of fictitious demo clinicians and a pilot admin.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(DashboardOptions options, IHostEnvironment environment) : PageModel
{
    public const string AdminDemo = "gestion-piloto";

    public string? OidcName => options.Oidc is { Authority.Length: > 0 } oidc ? oidc.DisplayName : null;

    public bool Development => DashboardAuthentication.DevelopmentSignIn(environment);

    public static IReadOnlyList<SyntheticGp> Clinicians => CareTeams.Gps;

    public void OnGet() { }

    public IActionResult OnPostOidc(string? returnUrl) =>
        OidcName is null
            ? NotFound()
            : Challenge(
                new AuthenticationProperties { RedirectUri = Url.IsLocalUrl(returnUrl) ? returnUrl : "/dashboard" },
                DashboardAuthentication.OidcScheme
            );

    public async Task<IActionResult> OnPostDevelopmentAsync(string? clinician, string? returnUrl)
    {
        if (!Development)
            return NotFound();
        var identity = DashboardAuthentication.NewIdentity();
        if (clinician == AdminDemo)
        {
            identity.AddClaim(new Claim("sub", AdminDemo));
            identity.AddClaim(new Claim("name", "Gestión del piloto (ficticia)"));
            identity.AddClaim(new Claim("roles", Roles.Admin));
        }
        else if (Clinicians.FirstOrDefault(c => c.Practitioner == clinician) is { } gp)
        {
            identity.AddClaim(new Claim("sub", gp.Practitioner["Practitioner/".Length..]));
            identity.AddClaim(new Claim("name", gp.Name));
            identity.AddClaim(new Claim(DashboardAuthentication.FhirUserClaim, gp.Practitioner));
        }
        else
        {
            return BadRequest();
        }
        DashboardAuthentication.Session(identity, DashboardAuthentication.DevelopmentIssuer, fhirServer: null);
        await HttpContext.SignInAsync(DashboardAuthentication.Scheme, DashboardAuthentication.Principal(identity));
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/dashboard");
    }
}
