using Clinical.Api.FhirHttp;
using Clinical.Api.Hosting;
using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using Hl7.Fhir.Model;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Audit;

/// <summary>
/// GET /fhir/AuditEvent[?patient=Patient/123][&amp;_count=N] (admin role): the audit trail as FHIR AuditEvent
/// resources, newest first.
/// </summary>
public sealed record SearchAuditEvents(string? Patient, int Count, string Actor)
    : IRequest<AuditEventsResult>,
        IAuditedRequest
{
    public string Action => "search-audit";
}

public sealed record AuditEventsResult(IReadOnlyList<AuditEvent> Events, string? Patient) : IConcernsPatients
{
    public IEnumerable<string> PatientReferences => Patient is null ? [] : [Patient];
}

public sealed class SearchAuditEventsHandler(ClinicalDbContext db)
    : IRequestHandler<SearchAuditEvents, AuditEventsResult>
{
    public const string ActionSystem = "https://hf-screening.invalid/fhir/CodeSystem/audit-action";

    public async ValueTask<AuditEventsResult> Handle(SearchAuditEvents request, CancellationToken cancellationToken)
    {
        var query = db.AuditRecords.AsNoTracking();
        if (request.Patient is not null)
            query = query.Where(a => a.PatientReferences.Contains(request.Patient));
        var records = await query
            .OrderByDescending(a => a.RecordedAt)
            .Take(request.Count)
            .ToListAsync(cancellationToken);
        if (request.Patient is not null)
            records = records
                .Where(r => r.PatientReferences.Split(' ').Contains(request.Patient, StringComparer.Ordinal))
                .ToList();
        return new AuditEventsResult(records.Select(ToAuditEvent).ToList(), request.Patient);
    }

    public static AuditEvent ToAuditEvent(AuditRecord record)
    {
        var audit = new AuditEvent
        {
            Id = record.Id.ToString(),
            Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"),
            Subtype = [new Coding(ActionSystem, record.Action)],
            Action = record.Action.StartsWith("search", StringComparison.Ordinal)
                ? AuditEvent.AuditEventAction.R
                : AuditEvent.AuditEventAction.E,
            Recorded = record.RecordedAt,
            Outcome = record.Outcome == "success" ? AuditEvent.AuditEventOutcome.N0 : AuditEvent.AuditEventOutcome.N4,
            OutcomeDesc = record.Outcome,
            Agent =
            [
                new AuditEvent.AgentComponent
                {
                    Who = new ResourceReference { Display = record.Actor },
                    Requestor = true,
                },
            ],
            Source = new AuditEvent.SourceComponent
            {
                Observer = new ResourceReference { Display = "Clinical HF screening" },
            },
        };
        foreach (var patient in record.PatientReferences.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            audit.Entity.Add(
                new AuditEvent.EntityComponent
                {
                    What = new ResourceReference(patient),
                    Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"),
                }
            );
        if (record.CorrelationId is { Length: > 0 } correlation)
            audit.Entity.Add(
                new AuditEvent.EntityComponent
                {
                    Name = "request",
                    Detail =
                    [
                        new AuditEvent.DetailComponent { Type = "correlation-id", Value = new FhirString(correlation) },
                    ],
                }
            );
        return audit;
    }
}

public static class SearchAuditEventsEndpoint
{
    public static void MapSearchAuditEvents(this RouteGroupBuilder fhir) =>
        fhir.MapGet(
                "/AuditEvent",
                async (
                    HttpRequest http,
                    IMediator mediator,
                    string? patient,
                    string? _count,
                    CancellationToken cancellationToken
                ) =>
                {
                    FhirContent.RequireAcceptable(http);
                    var reference = patient is null ? null : FhirContent.PatientReference(patient, "patient");
                    var result = await mediator.Send(
                        new SearchAuditEvents(reference, FhirContent.Count(_count), FhirContent.Caller(http)),
                        cancellationToken
                    );
                    return FhirContent.Result(FhirContent.Searchset(http, result.Events));
                }
            )
            .WithName("SearchAuditEvents")
            .RequireAuthorization(Policies.Admin);
}
