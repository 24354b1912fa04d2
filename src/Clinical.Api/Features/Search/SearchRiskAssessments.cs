using Clinical.Api.FhirHttp;
using Clinical.Api.Hosting;
using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using Clinical.Fhir.Output;
using Hl7.Fhir.Model;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Search;

/// <summary>
/// GET /fhir/RiskAssessment?subject=Patient/123: the stored screening results of one patient, newest first.
/// GET /fhir/RiskAssessment?_tag=https://hf-screening.invalid/fhir/CodeSystem/cohort-run|RUN: the results of one
/// cohort run, by patient, a page (_count, at most 500) at a time with a next link; both together narrow each other.
/// </summary>
public sealed record SearchRiskAssessments(string? Subject, int Count, string Actor, PatientAccess Access)
    : IRequest<SearchResult>,
        IAuditedRequest,
        INamesPatient
{
    public string? PatientReference => Subject;

    public string Action => "search-riskassessment";

    /// <summary>The cohort run named by _tag, and the page's first result (its next link carries _offset).</summary>
    public string? RunId { get; init; }

    public int Offset { get; init; }
}

/// <summary>Resources found for a patient search (the patients are what the audit records).</summary>
public sealed record SearchResult(IReadOnlyList<Resource> Resources, string? Subject) : IConcernsPatients
{
    /// <summary>Every match, when the search pages (a cohort run's results); null otherwise.</summary>
    public int? Total { get; init; }

    public IEnumerable<string> PatientReferences =>
        Subject is not null
            ? [Subject]
            : Resources
                .OfType<RiskAssessment>()
                .Select(r => r.Subject.Reference ?? "")
                .Distinct(StringComparer.Ordinal);
}

public sealed class SearchRiskAssessmentsHandler(ClinicalDbContext db)
    : IRequestHandler<SearchRiskAssessments, SearchResult>
{
    public async ValueTask<SearchResult> Handle(SearchRiskAssessments request, CancellationToken cancellationToken)
    {
        // A patient/ scope covers its own patient only: never a whole cohort run (Subject null).
        request.Access.Require(request.Subject);
        var query = db.Screenings.AsNoTracking();
        if (request.Subject is not null)
            query = query.Where(s => s.PatientReference == request.Subject);
        if (request.RunId is null)
        {
            var latest = await query
                .OrderByDescending(s => s.ScreenedAt)
                .Take(request.Count)
                .Select(s => s.RiskAssessmentJson)
                .ToListAsync(cancellationToken);
            return new SearchResult(Parse(latest), request.Subject);
        }
        query = query.Where(s => s.RunId == request.RunId);
        var page = await query
            .OrderBy(s => s.PatientReference)
            .Skip(request.Offset)
            .Take(request.Count)
            .Select(s => s.RiskAssessmentJson)
            .ToListAsync(cancellationToken);
        return new SearchResult(Parse(page), request.Subject) { Total = await query.CountAsync(cancellationToken) };
    }

    private static List<Resource> Parse(List<string> json) =>
        json.Select(FhirJson.Deserialize<RiskAssessment>).ToList<Resource>();
}

public static class SearchRiskAssessmentsEndpoint
{
    public static void MapSearchRiskAssessments(this RouteGroupBuilder fhir) =>
        fhir.MapGet(
                "/RiskAssessment",
                async (
                    HttpRequest http,
                    IMediator mediator,
                    string? subject,
                    string? patient,
                    string? _tag,
                    string? _count,
                    string? _offset,
                    CancellationToken cancellationToken
                ) =>
                {
                    FhirContent.RequireAcceptable(http);
                    var runId = _tag is null ? null : FhirContent.CohortRunTag(_tag);
                    var reference =
                        runId is not null && subject is null && patient is null
                            ? null
                            : FhirContent.PatientReference(
                                subject ?? patient,
                                subject is null && patient is not null ? "patient" : "subject"
                            );
                    var count = FhirContent.Count(_count);
                    var offset = FhirContent.Offset(_offset);
                    var result = await mediator.Send(
                        new SearchRiskAssessments(
                            reference,
                            count,
                            FhirContent.Caller(http),
                            SmartScopes.Access(http.HttpContext.User, "RiskAssessment", "rs")
                        )
                        {
                            RunId = runId,
                            Offset = offset,
                        },
                        cancellationToken
                    );
                    var bundle = FhirContent.Searchset(http, result.Resources);
                    if (result.Total is { } total)
                        FhirContent.Page(http, bundle, total, offset, count);
                    return FhirContent.Result(bundle);
                }
            )
            .WithName("SearchRiskAssessments")
            .RequireAuthorization(Policies.ReadRiskAssessment);
}
