using System.Text;
using Clinical.Api.Features.Search;
using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using Clinical.Fhir.Output;
using Hl7.Fhir.Model;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Dashboard.Review;

/// <summary>
/// One flag's review page: the RiskAssessment as the FHIR search returns it (the same handler), the flag's current
/// status, the review snapshot, the summary with its grounding report, and the history of what clinicians did.
/// </summary>
public sealed record LoadReview(string FlagId, string Actor) : IRequest<ReviewView>, IAuditedRequest
{
    public string Action => "dashboard-review";
}

/// <summary>
/// The latest flagged screening of a patient (an EHR launch names the patient, the page shows the flag).
/// </summary>
public sealed record FindPatientFlag(string PatientReference, string Actor)
    : IRequest<string?>,
        IAuditedRequest,
        INamesPatient
{
    public string Action => "dashboard-find-flag";

    string? INamesPatient.PatientReference => PatientReference;
}

public sealed record ReviewView(
    string FlagId,
    string PatientReference,
    string? PatientName,
    int? AgeYears,
    string? Sex,
    string? PracticeName,
    string Level,
    double Probability,
    DateOnly AsOf,
    DateTimeOffset ScreenedAt,
    string FlagStatus,
    string? ReviewState,
    int Version,
    RiskAssessment RiskAssessment,
    ReviewSnapshot Snapshot,
    ReviewSummary? Summary,
    IReadOnlyList<ReviewHistoryItem> History
) : IConcernsPatients
{
    public IEnumerable<string> PatientReferences => [PatientReference];
}

/// <summary>
/// The grounded summary: its text and language, how it was made and checked (the DocumentReference's own words).
/// </summary>
public sealed record ReviewSummary(string Text, string? Language, string? Description, string? Grounding);

public sealed record ReviewHistoryItem(
    string Kind,
    string Actor,
    DateTimeOffset At,
    string? ReasonCode,
    string? Comment
);

public sealed class LoadReviewHandler(ClinicalDbContext db, IMediator mediator)
    : IRequestHandler<LoadReview, ReviewView>
{
    public async ValueTask<ReviewView> Handle(LoadReview request, CancellationToken cancellationToken)
    {
        var stored =
            await db.Screenings.AsNoTracking().SingleOrDefaultAsync(s => s.FlagId == request.FlagId, cancellationToken)
            ?? throw new Errors.NotFoundException($"Flag/{request.FlagId} does not exist.");
        var found = await mediator.Send(
            new SearchRiskAssessments(stored.PatientReference, 50, request.Actor, Hosting.PatientAccess.AnyPatient),
            cancellationToken
        );
        var assessment =
            found.Resources.OfType<RiskAssessment>().FirstOrDefault(r => FlagOf(r, stored))
            ?? FhirJson.Deserialize<RiskAssessment>(stored.RiskAssessmentJson);
        return new ReviewView(
            request.FlagId,
            stored.PatientReference,
            stored.PatientName,
            stored.AgeYears,
            stored.Sex,
            stored.PracticeName,
            stored.QualitativeRisk,
            stored.Probability,
            stored.AsOf,
            stored.ScreenedAt,
            stored.FlagStatus ?? "active",
            stored.ReviewState,
            stored.Version,
            assessment,
            stored.ReviewJson is { } json ? ReviewSnapshot.FromJson(json) : Empty,
            stored.SummaryJson is { } summary ? Summary(FhirJson.Deserialize<DocumentReference>(summary)) : null,
            await HistoryAsync(request.FlagId, cancellationToken)
        );
    }

    private static readonly ReviewSnapshot Empty = new([], [], [], [], [], ReviewSnapshot.NextNtProBnp, false);

    private static bool FlagOf(RiskAssessment assessment, StoredScreening stored) =>
        stored.RiskAssessmentJson.Contains($"\"id\":\"{assessment.Id}\"", StringComparison.Ordinal);

    private static ReviewSummary? Summary(DocumentReference document)
    {
        var attachment = document.Content.FirstOrDefault()?.Attachment;
        if (attachment?.Data is not { } data)
            return null;
        var grounding = document.GetExtensionValue<FhirString>(SummaryDocumentBuilder.GroundingExtension)?.Value;
        return new ReviewSummary(Encoding.UTF8.GetString(data), attachment.Language, document.Description, grounding);
    }

    private async Task<List<ReviewHistoryItem>> HistoryAsync(string flagId, CancellationToken cancellationToken)
    {
        var changes = await db
            .FlagStatusChanges.AsNoTracking()
            .Where(c => c.FlagId == flagId)
            .Select(c => new ReviewHistoryItem(
                c.To == "inactive" ? "dismiss" : "reopen",
                c.Actor,
                c.ChangedAt,
                c.ReasonCode,
                c.Reason
            ))
            .ToListAsync(cancellationToken);
        var reviews = await db
            .ReviewEvents.AsNoTracking()
            .Where(r => r.FlagId == flagId && r.Kind != "dismiss" && r.Kind != "reopen")
            .Select(r => new ReviewHistoryItem(r.Kind, r.Actor, r.At, r.ReasonCode, r.Comment))
            .ToListAsync(cancellationToken);
        return changes.Concat(reviews).OrderByDescending(h => h.At).ToList();
    }
}

public sealed class FindPatientFlagHandler(ClinicalDbContext db) : IRequestHandler<FindPatientFlag, string?>
{
    public async ValueTask<string?> Handle(FindPatientFlag request, CancellationToken cancellationToken) =>
        await db
            .Screenings.AsNoTracking()
            .Where(s => s.PatientReference == request.PatientReference && s.FlagId != null)
            .OrderByDescending(s => s.IsLatest)
            .ThenByDescending(s => s.ScreenedAt)
            .Select(s => s.FlagId)
            .FirstOrDefaultAsync(cancellationToken);
}
