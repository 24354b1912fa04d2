using Clinical.Api.FhirHttp;
using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.CdsHooks;

/// <summary>CDS Hooks feedback body: what the clinician did with each card.</summary>
public sealed record CdsFeedbackBody(IReadOnlyList<CdsFeedbackItem>? Feedback);

public sealed record CdsFeedbackItem(
    string? Card,
    string? Outcome,
    IReadOnlyList<CdsAcceptedSuggestion>? AcceptedSuggestions,
    CdsOverrideReason? OverrideReason,
    DateTimeOffset? OutcomeTimestamp
);

public sealed record CdsAcceptedSuggestion(string? Id);

public sealed record CdsOverrideReason(CdsCoding? Reason, string? UserComment);

/// <summary>
/// POST /cds-services/hf-screening/feedback: stores accepted / overridden outcomes with their reasons.
/// </summary>
public sealed record Feedback(CdsFeedbackBody Body, string Actor) : IRequest<FeedbackResult>, IAuditedRequest
{
    public string Action => "cds-feedback";
}

public sealed record FeedbackResult(IReadOnlyList<string> Patients) : IConcernsPatients
{
    public IEnumerable<string> PatientReferences => Patients;
}

public sealed class FeedbackValidator : AbstractValidator<Feedback>
{
    public const int MaxCommentLength = 1000;

    public FeedbackValidator()
    {
        RuleFor(f => f.Body.Feedback)
            .NotEmpty()
            .WithMessage("feedback must be a non-empty array.")
            .OverridePropertyName("feedback");
        RuleForEach(f => f.Body.Feedback)
            .ChildRules(item =>
            {
                item.RuleFor(i => i.Card)
                    .Must(c => Guid.TryParseExact(c, "D", out _))
                    .WithMessage("card must be the uuid of a card this service returned.");
                item.RuleFor(i => i.Outcome)
                    .Must(o => o is "accepted" or "overridden")
                    .WithMessage("outcome must be 'accepted' or 'overridden'.");
                item.RuleFor(i => i.OutcomeTimestamp).NotNull().WithMessage("outcomeTimestamp is required.");
                item.RuleFor(i => i.AcceptedSuggestions)
                    .NotEmpty()
                    .When(i => i.Outcome == "accepted")
                    .WithMessage("acceptedSuggestions is required when outcome is 'accepted'.");
                item.RuleFor(i => i.OverrideReason)
                    .Null()
                    .When(i => i.Outcome == "accepted")
                    .WithMessage("overrideReason only goes with outcome 'overridden'.");
                item.RuleFor(i => i.OverrideReason!.UserComment)
                    .MaximumLength(MaxCommentLength)
                    .When(i => i.OverrideReason is not null);
            })
            .OverridePropertyName("feedback");
    }
}

public sealed class FeedbackHandler(ClinicalDbContext db, TimeProvider clock)
    : IRequestHandler<Feedback, FeedbackResult>
{
    public async ValueTask<FeedbackResult> Handle(Feedback request, CancellationToken cancellationToken)
    {
        var items = request.Body.Feedback!;
        var uuids = items.Select(i => Guid.Parse(i.Card!)).ToList();
        var issued = await db
            .IssuedCards.Where(c => uuids.Contains(c.Uuid))
            .ToDictionaryAsync(c => c.Uuid, cancellationToken);
        var unknown = uuids.Where(u => !issued.ContainsKey(u)).ToList();
        if (unknown.Count > 0)
            throw new Errors.NotFoundException(
                $"No card with uuid {string.Join(", ", unknown)} was issued by this service."
            );
        var now = clock.GetUtcNow();
        foreach (var item in items)
        {
            var card = issued[Guid.Parse(item.Card!)];
            db.CardFeedback.Add(
                new CardFeedback
                {
                    Id = Guid.NewGuid(),
                    CardUuid = card.Uuid,
                    PatientReference = card.PatientReference,
                    Outcome = item.Outcome!,
                    AcceptedSuggestions = string.Join(
                        ' ',
                        item.AcceptedSuggestions?.Select(s => s.Id).OfType<string>() ?? []
                    ),
                    OverrideReasonCode = item.OverrideReason?.Reason?.Code,
                    OverrideReasonSystem = item.OverrideReason?.Reason?.System,
                    UserComment = item.OverrideReason?.UserComment,
                    OutcomeTimestamp = item.OutcomeTimestamp!.Value.ToUniversalTime(),
                    ReceivedAt = now,
                    Actor = request.Actor,
                }
            );
        }
        await db.SaveChangesAsync(cancellationToken);
        return new FeedbackResult(
            issued.Values.Select(c => c.PatientReference).Distinct(StringComparer.Ordinal).ToList()
        );
    }
}

public static class FeedbackEndpoint
{
    public static void MapFeedback(this RouteGroupBuilder cds) =>
        cds.MapPost(
                $"/{Discovery.ServiceId}/feedback",
                async (HttpRequest http, IMediator mediator, CancellationToken cancellationToken) =>
                {
                    var body = await CdsRequestBody.ReadAsync<CdsFeedbackBody>(http, cancellationToken);
                    await mediator.Send(new Feedback(body, FhirContent.Caller(http)), cancellationToken);
                    return Results.Ok();
                }
            )
            .WithName("CdsFeedback");
}
