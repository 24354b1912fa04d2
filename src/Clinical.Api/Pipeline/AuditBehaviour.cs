using Clinical.Api.Persistence;
using Mediator;

namespace Clinical.Api.Pipeline;

/// <summary>A request that touches patient data and must leave an audit record.</summary>
public interface IAuditedRequest
{
    string Action { get; }

    string Actor { get; }
}

/// <summary>
/// A request that names its patient up front, so that a failed access is audited against that patient too.
/// </summary>
public interface INamesPatient
{
    string? PatientReference { get; }
}

/// <summary>A response that names the patients it concerned.</summary>
public interface IConcernsPatients
{
    IEnumerable<string> PatientReferences { get; }
}

/// <summary>Last before the handler: records who accessed which patients and the outcome, success or failure.</summary>
public sealed class AuditBehaviour<TMessage, TResponse>(
    ClinicalDbContext db,
    TimeProvider clock,
    IHttpContextAccessor? http = null
) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken
    )
    {
        if (message is not IAuditedRequest audited)
            return await next(message, cancellationToken);
        string outcome = "failure";
        var patients = message is INamesPatient { PatientReference: { Length: > 0 } named } ? named : "";
        try
        {
            var response = await next(message, cancellationToken);
            outcome = "success";
            if (response is IConcernsPatients concerned)
                patients = string.Join(' ', concerned.PatientReferences.Distinct(StringComparer.Ordinal));
            return response;
        }
        finally
        {
            if (outcome == "failure")
                db.ChangeTracker.Clear(); // nothing half-done is saved with the audit row
            db.AuditRecords.Add(
                new AuditRecord
                {
                    Id = Guid.NewGuid(),
                    RecordedAt = clock.GetUtcNow(),
                    Actor = audited.Actor,
                    Action = audited.Action,
                    Outcome = outcome,
                    PatientReferences = patients,
                    CorrelationId = http?.HttpContext?.TraceIdentifier,
                }
            );
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }
}
