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
/// GET /fhir/Flag?subject=Patient/123&amp;status=active: flags raised for a patient, with their current status.
/// </summary>
public sealed record SearchFlags(string Subject, string? Status, int Count, string Actor, PatientAccess Access)
    : IRequest<SearchResult>,
        IAuditedRequest,
        INamesPatient
{
    public string? PatientReference => Subject;

    public string Action => "search-flag";
}

public sealed class SearchFlagsHandler(ClinicalDbContext db) : IRequestHandler<SearchFlags, SearchResult>
{
    public async ValueTask<SearchResult> Handle(SearchFlags request, CancellationToken cancellationToken)
    {
        request.Access.Require(request.Subject);
        var query = db
            .Screenings.AsNoTracking()
            .Where(s => s.PatientReference == request.Subject && s.FlagJson != null);
        if (request.Status is not null)
            query = query.Where(s => s.FlagStatus == request.Status);
        var stored = await query
            .OrderByDescending(s => s.ScreenedAt)
            .Take(request.Count)
            .ToListAsync(cancellationToken);
        return new SearchResult(stored.Select(s => (Resource)Current(s)).ToList(), request.Subject);
    }

    /// <summary>The Flag as emitted, with its current status from the history.</summary>
    public static Flag Current(StoredScreening stored)
    {
        var flag = FhirJson.Deserialize<Flag>(stored.FlagJson!);
        flag.Status =
            Hl7.Fhir.Utility.EnumUtility.ParseLiteral<Flag.FlagStatus>(stored.FlagStatus ?? "active")
            ?? Flag.FlagStatus.Active;
        return flag;
    }
}

public static class SearchFlagsEndpoint
{
    private static readonly string[] Statuses = ["active", "inactive", "entered-in-error"];

    public static void MapSearchFlags(this RouteGroupBuilder fhir) =>
        fhir.MapGet(
                "/Flag",
                async (
                    HttpRequest http,
                    IMediator mediator,
                    string? subject,
                    string? patient,
                    string? status,
                    string? _count,
                    CancellationToken cancellationToken
                ) =>
                {
                    FhirContent.RequireAcceptable(http);
                    var reference = FhirContent.PatientReference(
                        subject ?? patient,
                        subject is null && patient is not null ? "patient" : "subject"
                    );
                    if (status is not null && !Statuses.Contains(status))
                        throw new Clinical.Fhir.Parsing.FhirInputException([
                            new(
                                Clinical.Fhir.Parsing.IssueSeverity.Error,
                                "value",
                                $"status '{status}' is not one of {string.Join(", ", Statuses)}.",
                                "status"
                            ),
                        ]);
                    var result = await mediator.Send(
                        new SearchFlags(
                            reference,
                            status,
                            FhirContent.Count(_count),
                            FhirContent.Caller(http),
                            SmartScopes.Access(http.HttpContext.User, "Flag", "rs")
                        ),
                        cancellationToken
                    );
                    return FhirContent.Result(FhirContent.Searchset(http, result.Resources));
                }
            )
            .WithName("SearchFlags")
            .RequireAuthorization(Policies.ReadFlag);
}
