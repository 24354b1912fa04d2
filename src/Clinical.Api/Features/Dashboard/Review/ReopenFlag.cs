using Clinical.Api.Features.Flags;
using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Dashboard.Review;

/// <summary>A clinician reopens a dismissed flag (inactive → active); kept in the flag's status history.</summary>
public sealed record ReopenFlag(string FlagId, int ExpectedVersion, string Actor)
    : IRequest<ReviewActionResult>,
        IAuditedRequest
{
    public string Action => "dashboard-reopen";
}

/// <summary>The patient a review action concerned (for the audit record).</summary>
public sealed record ReviewActionResult(string PatientReference) : IConcernsPatients
{
    public IEnumerable<string> PatientReferences => [PatientReference];
}

public sealed class ReopenFlagHandler(ClinicalDbContext db, TimeProvider clock)
    : IRequestHandler<ReopenFlag, ReviewActionResult>
{
    public async ValueTask<ReviewActionResult> Handle(ReopenFlag request, CancellationToken cancellationToken)
    {
        var stored =
            await db.Screenings.SingleOrDefaultAsync(s => s.FlagId == request.FlagId, cancellationToken)
            ?? throw new Errors.NotFoundException($"Flag/{request.FlagId} does not exist.");
        await FlagChangedException.ThrowIfChangedAsync(db, stored, request.ExpectedVersion, cancellationToken);
        if (stored.FlagStatus != "inactive")
            throw new FlagChangedException(request.FlagId, []);
        db.FlagStatusChanges.Add(
            new FlagStatusChange
            {
                Id = Guid.NewGuid(),
                FlagId = request.FlagId,
                From = "inactive",
                To = "active",
                Actor = request.Actor,
                ChangedAt = clock.GetUtcNow(),
            }
        );
        stored.FlagStatus = "active";
        stored.ReviewState = null;
        stored.Version++;
        await db.SaveChangesAsync(cancellationToken);
        return new ReviewActionResult(stored.PatientReference);
    }
}
