using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Dashboard.Review;

/// <summary>
/// A clinician leaves a note on a flag (clinical free text: stored, never logged). Notes never conflict.
/// </summary>
public sealed record AddReviewNote(string FlagId, string Text, string Actor)
    : IRequest<ReviewActionResult>,
        IAuditedRequest
{
    public string Action => "dashboard-note";
}

public sealed class AddReviewNoteValidator : AbstractValidator<AddReviewNote>
{
    public AddReviewNoteValidator() => RuleFor(n => n.Text).NotEmpty().MaximumLength(2000);
}

public sealed class AddReviewNoteHandler(ClinicalDbContext db, TimeProvider clock)
    : IRequestHandler<AddReviewNote, ReviewActionResult>
{
    public async ValueTask<ReviewActionResult> Handle(AddReviewNote request, CancellationToken cancellationToken)
    {
        var patient =
            await db
                .Screenings.Where(s => s.FlagId == request.FlagId)
                .Select(s => s.PatientReference)
                .SingleOrDefaultAsync(cancellationToken)
            ?? throw new Errors.NotFoundException($"Flag/{request.FlagId} does not exist.");
        db.ReviewEvents.Add(
            new ReviewEvent
            {
                Id = Guid.NewGuid(),
                FlagId = request.FlagId,
                PatientReference = patient,
                Kind = "note",
                Comment = request.Text.Trim(),
                Actor = request.Actor,
                At = clock.GetUtcNow(),
            }
        );
        await db.SaveChangesAsync(cancellationToken);
        return new ReviewActionResult(patient);
    }
}
