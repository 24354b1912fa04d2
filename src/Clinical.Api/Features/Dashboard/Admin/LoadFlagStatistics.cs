using System.Globalization;
using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Dashboard.Admin;

/// <summary>
/// The pilot's first look at whether flags help: per ISO week, flags raised, confirmed and dismissed, and dismissals
/// by coded reason (uncoded: closed through the FHIR API with free text, or without a reason). Counts only, no
/// patients.
/// </summary>
public sealed record LoadFlagStatistics(string Actor, int Weeks = 12) : IRequest<FlagStatistics>, IAuditedRequest
{
    public string Action => "dashboard-admin";
}

public sealed record WeekCounts(string Week, int Raised, int Confirmed, int Dismissed);

public sealed record FlagStatistics(
    IReadOnlyList<WeekCounts> Weeks,
    IReadOnlyList<(string? Reason, int Count)> Reasons
);

public sealed class LoadFlagStatisticsHandler(ClinicalDbContext db, TimeProvider clock)
    : IRequestHandler<LoadFlagStatistics, FlagStatistics>
{
    public async ValueTask<FlagStatistics> Handle(LoadFlagStatistics request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = Monday(now.UtcDateTime).AddDays(-7 * (request.Weeks - 1));
        var start = new DateTimeOffset(since, TimeSpan.Zero);
        var raised = await db
            .Screenings.AsNoTracking()
            .Where(s => s.FlagId != null && s.ScreenedAt >= start)
            .Select(s => s.ScreenedAt)
            .ToListAsync(cancellationToken);
        var confirmed = await db
            .ReviewEvents.AsNoTracking()
            .Where(r => r.Kind == "confirm" && r.At >= start)
            .Select(r => r.At)
            .ToListAsync(cancellationToken);
        var dismissed = await db
            .FlagStatusChanges.AsNoTracking()
            .Where(c => c.To == "inactive" && c.ChangedAt >= start)
            .Select(c => new { c.ChangedAt, c.ReasonCode })
            .ToListAsync(cancellationToken);
        var weeks = Enumerable
            .Range(0, request.Weeks)
            .Select(i => since.AddDays(7 * i))
            .Select(monday => new WeekCounts(
                Label(monday),
                raised.Count(t => Monday(t.UtcDateTime) == monday),
                confirmed.Count(t => Monday(t.UtcDateTime) == monday),
                dismissed.Count(d => Monday(d.ChangedAt.UtcDateTime) == monday)
            ))
            .ToList();
        var reasons = dismissed
            .GroupBy(d => d.ReasonCode)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(r => r.Item2)
            .ToList();
        return new FlagStatistics(weeks, reasons);
    }

    private static DateTime Monday(DateTime at) => at.Date.AddDays(-(((int)at.DayOfWeek + 6) % 7));

    private static string Label(DateTime monday) =>
        string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(monday)}-W{ISOWeek.GetWeekOfYear(monday):00}");
}
