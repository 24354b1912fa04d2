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
/// </summary>
public sealed record SearchRiskAssessments(string Subject, int Count, string Actor, PatientAccess Access)
    : IRequest<SearchResult>,
        IAuditedRequest,
        INamesPatient
{
    public string? PatientReference => Subject;

    public string Action => "search-riskassessment";
}

/// <summary>Resources found for a patient search (the patient is what the audit records).</summary>
public sealed record SearchResult(IReadOnlyList<Resource> Resources, string Subject) : IConcernsPatients
{
    public IEnumerable<string> PatientReferences => [Subject];
}

public sealed class SearchRiskAssessmentsHandler(ClinicalDbContext db)
    : IRequestHandler<SearchRiskAssessments, SearchResult>
{
    public async ValueTask<SearchResult> Handle(SearchRiskAssessments request, CancellationToken cancellationToken)
    {
        request.Access.Require(request.Subject);
        var stored = await db
            .Screenings.AsNoTracking()
            .Where(s => s.PatientReference == request.Subject)
            .OrderByDescending(s => s.ScreenedAt)
            .Take(request.Count)
            .Select(s => s.RiskAssessmentJson)
            .ToListAsync(cancellationToken);
        return new SearchResult(
            stored.Select(FhirJson.Deserialize<RiskAssessment>).ToList<Resource>(),
            request.Subject
        );
    }
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
                    string? _count,
                    CancellationToken cancellationToken
                ) =>
                {
                    FhirContent.RequireAcceptable(http);
                    var reference = FhirContent.PatientReference(
                        subject ?? patient,
                        subject is null && patient is not null ? "patient" : "subject"
                    );
                    var result = await mediator.Send(
                        new SearchRiskAssessments(
                            reference,
                            FhirContent.Count(_count),
                            FhirContent.Caller(http),
                            SmartScopes.Access(http.HttpContext.User, "RiskAssessment", "rs")
                        ),
                        cancellationToken
                    );
                    return FhirContent.Result(FhirContent.Searchset(http, result.Resources));
                }
            )
            .WithName("SearchRiskAssessments")
            .RequireAuthorization(Policies.ReadRiskAssessment);
}
