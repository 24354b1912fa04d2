using Clinical.Api.Features.Dashboard.Plotting;
using Clinical.Api.Hosting;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Clinical.Api.Features.Dashboard.Admin;

/// <summary>GET /dashboard/admin: flags raised, confirmed and dismissed per week, and dismissals by reason.</summary>
[Authorize(Policy = DashboardAuthentication.AdminPolicy)]
public sealed class AdminModel(IMediator mediator, IStringLocalizer<DashboardText> text) : PageModel
{
    public FlagStatistics Statistics { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Statistics = await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnGetWeeksAsync(CancellationToken cancellationToken)
    {
        var statistics = await LoadAsync(cancellationToken);
        var svg = DashboardPlots.Bars(
            text["AdminTitle"],
            statistics.Weeks.Select(w => w.Week).ToList(),
            [
                (text["Raised"], statistics.Weeks.Select(w => w.Raised).ToList()),
                (text["ConfirmedCount"], statistics.Weeks.Select(w => w.Confirmed).ToList()),
                (text["DismissedCount"], statistics.Weeks.Select(w => w.Dismissed).ToList()),
            ],
            text["Flags"]
        );
        return Content(svg, "image/svg+xml");
    }

    public async Task<IActionResult> OnGetReasonsAsync(CancellationToken cancellationToken)
    {
        var statistics = await LoadAsync(cancellationToken);
        var svg = DashboardPlots.Bars(
            text["ByReason"],
            statistics.Reasons.Select(r => DashboardFormat.Code(text, "Reason", r.Reason ?? "uncoded")).ToList(),
            [(text["DismissedCount"], statistics.Reasons.Select(r => r.Count).ToList())],
            text["Count"]
        );
        return Content(svg, "image/svg+xml");
    }

    private async Task<FlagStatistics> LoadAsync(CancellationToken cancellationToken) =>
        await mediator.Send(new LoadFlagStatistics(ClinicalAuthentication.Caller(User)), cancellationToken);
}
