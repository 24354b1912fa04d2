using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Dashboard.Worklist;

/// <summary>
/// The worklist: latest screenings with a flag in the chosen status, the clinician's own patients (attribution) or
/// everyone's, filtered by level, age band, date screened and practice; newest and highest first, a page at a time,
/// with counts per level and which rows are new since the clinician's previous visit.
/// </summary>
public sealed record LoadWorklist(string Actor, string? Practitioner, WorklistFilter Filter)
    : IRequest<WorklistView>,
        IAuditedRequest
{
    public string Action => "dashboard-worklist";
}

public sealed record WorklistFilter(
    string Status = "active",
    string? Level = null,
    string? AgeBand = null,
    DateOnly? From = null,
    DateOnly? To = null,
    string? Practice = null,
    bool Mine = true,
    int Page = 1
)
{
    public const int PageSize = 25;
    public static readonly string[] Statuses = ["active", "inactive"];
    public static readonly string[] Levels = ["high", "moderate"];
    public static readonly string[] AgeBands = ["lt65", "65-74", "75-84", "ge85"];

    public (int Min, int Max)? Ages =>
        AgeBand switch
        {
            "lt65" => (0, 64),
            "65-74" => (65, 74),
            "75-84" => (75, 84),
            "ge85" => (85, 200),
            _ => null,
        };
}

public sealed record WorklistRow(
    string FlagId,
    string PatientReference,
    string? PatientName,
    int? AgeYears,
    string? Sex,
    string Level,
    double Probability,
    DateTimeOffset ScreenedAt,
    string FlagStatus,
    string? ReviewState,
    string? PracticeName,
    bool IsNew
);

public sealed record WorklistView(
    IReadOnlyList<WorklistRow> Rows,
    int Total,
    IReadOnlyDictionary<string, int> CountsPerLevel,
    int NewSinceLastVisit,
    DateTimeOffset? PreviousVisit,
    IReadOnlyList<(string Reference, string Name)> Practices,
    WorklistFilter Filter
) : IConcernsPatients
{
    public int Pages => Math.Max(1, (Total + WorklistFilter.PageSize - 1) / WorklistFilter.PageSize);

    public IEnumerable<string> PatientReferences => Rows.Select(r => r.PatientReference);
}

public sealed class LoadWorklistValidator : AbstractValidator<LoadWorklist>
{
    public LoadWorklistValidator()
    {
        RuleFor(r => r.Filter.Status).Must(WorklistFilter.Statuses.Contains);
        RuleFor(r => r.Filter.Level).Must(l => l is null || WorklistFilter.Levels.Contains(l));
        RuleFor(r => r.Filter.AgeBand).Must(a => a is null || WorklistFilter.AgeBands.Contains(a));
        RuleFor(r => r.Filter.Page).InclusiveBetween(1, 100_000);
    }
}

public sealed class LoadWorklistHandler(ClinicalDbContext db, TimeProvider clock)
    : IRequestHandler<LoadWorklist, WorklistView>
{
    /// <summary>A worklist opened again within this time is the same visit (paging, filtering).</summary>
    private static readonly TimeSpan SameVisit = TimeSpan.FromMinutes(30);

    public async ValueTask<WorklistView> Handle(LoadWorklist request, CancellationToken cancellationToken)
    {
        var filter = request.Filter;
        var previousVisit = await VisitAsync(request.Actor, cancellationToken);
        var flagged = db.Screenings.AsNoTracking().Where(s => s.FlagStatus == filter.Status && s.IsLatest);
        if (filter.Mine)
            flagged = flagged.Where(s => s.GeneralPractitioner == (request.Practitioner ?? ""));
        if (filter.Practice is { Length: > 0 } practice)
            flagged = flagged.Where(s => s.Practice == practice);
        if (filter.Ages is var (min, max))
            flagged = flagged.Where(s => s.AgeYears >= min && s.AgeYears <= max);
        if (filter.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            flagged = flagged.Where(s => s.ScreenedAt >= start);
        }
        if (filter.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            flagged = flagged.Where(s => s.ScreenedAt < end);
        }
        var counts = await flagged
            .GroupBy(s => s.QualitativeRisk)
            .Select(g => new { Level = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Level, g => g.Count, cancellationToken);
        var newCount = previousVisit is { } since
            ? await flagged.CountAsync(s => s.ScreenedAt > since, cancellationToken)
            : 0;
        var shown = filter.Level is { } level ? flagged.Where(s => s.QualitativeRisk == level) : flagged;
        var total = filter.Level is { } chosen ? counts.GetValueOrDefault(chosen) : counts.Values.Sum();
        var rows = await shown
            .OrderByDescending(s => s.ScreenedAt)
            .ThenByDescending(s => s.Probability)
            .Skip((filter.Page - 1) * WorklistFilter.PageSize)
            .Take(WorklistFilter.PageSize)
            .Select(s => new WorklistRow(
                s.FlagId!,
                s.PatientReference,
                s.PatientName,
                s.AgeYears,
                s.Sex,
                s.QualitativeRisk,
                s.Probability,
                s.ScreenedAt,
                s.FlagStatus!,
                s.ReviewState,
                s.PracticeName,
                false
            ))
            .ToListAsync(cancellationToken);
        if (previousVisit is { } last)
            rows = rows.Select(r => r with { IsNew = r.ScreenedAt > last }).ToList();
        return new WorklistView(
            rows,
            total,
            counts,
            newCount,
            previousVisit,
            await PracticesAsync(cancellationToken),
            filter
        );
    }

    /// <summary>The practices with flags, for the filter: references from the index, then one name each.</summary>
    private async Task<List<(string Reference, string Name)>> PracticesAsync(CancellationToken cancellationToken)
    {
        var references = await db
            .Screenings.AsNoTracking()
            .Where(s => s.FlagStatus == "active" && s.IsLatest && s.Practice != null)
            .Select(s => s.Practice!)
            .Distinct()
            .Take(200)
            .ToListAsync(cancellationToken);
        var practices = new List<(string Reference, string Name)>();
        foreach (var reference in references)
        {
            var name = await db
                .Screenings.AsNoTracking()
                .Where(s => s.FlagStatus == "active" && s.IsLatest && s.Practice == reference)
                .Select(s => s.PracticeName)
                .FirstOrDefaultAsync(cancellationToken);
            practices.Add((reference, name ?? reference));
        }
        return practices.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Records this visit; returns when the previous visit was (null on the first).</summary>
    private async Task<DateTimeOffset?> VisitAsync(string actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var visit = await db.ClinicianVisits.SingleOrDefaultAsync(v => v.Actor == actor, cancellationToken);
        if (visit is null)
        {
            db.ClinicianVisits.Add(new ClinicianVisit { Actor = actor, LastSeenAt = now });
        }
        else
        {
            if (now - visit.LastSeenAt > SameVisit)
                visit.PreviousVisitAt = visit.LastSeenAt;
            visit.LastSeenAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        return visit?.PreviousVisitAt;
    }
}
