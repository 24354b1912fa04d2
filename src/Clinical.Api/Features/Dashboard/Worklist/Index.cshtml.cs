using Clinical.Api.Hosting;
using Clinical.Api.Pipeline;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Clinical.Api.Features.Dashboard.Worklist;

/// <summary>
/// GET /dashboard/worklist: the signed-in clinician's flagged patients. Filters are query parameters (no patient
/// identifiers); a value that is not one of the offered ones is ignored rather than failing the page.
/// </summary>
[Authorize(Policy = DashboardAuthentication.ClinicianPolicy)]
public sealed class WorklistModel(IMediator mediator) : PageModel
{
    public WorklistView View { get; private set; } = null!;

    /// <summary>The clinician's practitioner reference (fhirUser); null for a user who is not a practitioner.</summary>
    public string? Practitioner { get; private set; }

    public async Task OnGetAsync(
        string? status,
        string? level,
        string? age,
        string? from,
        string? to,
        string? practice,
        string? mine,
        string? f,
        int p = 1,
        CancellationToken cancellationToken = default
    )
    {
        Practitioner = User.FindFirst(DashboardAuthentication.FhirUserClaim)?.Value;
        var filter = new WorklistFilter(
            WorklistFilter.Statuses.Contains(status) ? status! : "active",
            WorklistFilter.Levels.Contains(level) ? level : null,
            WorklistFilter.AgeBands.Contains(age) ? age : null,
            AsOfRule.TryParse(from, out var start) ? start : null,
            AsOfRule.TryParse(to, out var end) ? end : null,
            string.IsNullOrWhiteSpace(practice) ? null : practice,
            Practitioner is not null && (f is null || mine == "true"),
            Math.Clamp(p, 1, 100_000)
        );
        View = await mediator.Send(
            new LoadWorklist(ClinicalAuthentication.Caller(User), Practitioner, filter),
            cancellationToken
        );
    }

    /// <summary>This page's URL with the same filters and another page number.</summary>
    public string PageUrl(int page)
    {
        var query = Request.Query.Where(q => q.Key != "p").ToDictionary(q => q.Key, q => q.Value);
        query["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/dashboard/worklist", query);
    }
}
