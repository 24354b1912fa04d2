using System.Globalization;
using Clinical.Api.Features.Dashboard.Plotting;
using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Dashboard.Review;

/// <summary>The review page's plot of NT-proBNP/BNP and weight over time, as SVG.</summary>
public sealed record RenderTrendPlot(string FlagId, PlotLabels Labels, CultureInfo Culture, string Actor)
    : IRequest<TrendPlotResult>,
        IAuditedRequest
{
    public string Action => "dashboard-plot";
}

public sealed record TrendPlotResult(string PatientReference, string Svg) : IConcernsPatients
{
    public IEnumerable<string> PatientReferences => [PatientReference];
}

public sealed class RenderTrendPlotHandler(ClinicalDbContext db) : IRequestHandler<RenderTrendPlot, TrendPlotResult>
{
    public async ValueTask<TrendPlotResult> Handle(RenderTrendPlot request, CancellationToken cancellationToken)
    {
        var stored =
            await db
                .Screenings.AsNoTracking()
                .Where(s => s.FlagId == request.FlagId)
                .Select(s => new { s.PatientReference, s.ReviewJson })
                .SingleOrDefaultAsync(cancellationToken)
            ?? throw new Errors.NotFoundException($"Flag/{request.FlagId} does not exist.");
        var series = stored.ReviewJson is { } json ? ReviewSnapshot.FromJson(json).Series : [];
        return new TrendPlotResult(
            stored.PatientReference,
            DashboardPlots.Trend(series, request.Labels, request.Culture)
        );
    }
}
