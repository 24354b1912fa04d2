using System.Text.Json;
using Clinical.Api.Features.Search;
using Clinical.Api.FhirHttp;
using Clinical.Api.Hosting;
using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using Clinical.Fhir.Parsing;
using FluentValidation;
using Hl7.Fhir.Model;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Flags;

/// <summary>
/// POST /fhir/Flag/{id}/$close: a clinician closes a flag (active → inactive), with an optional reason; the change is
/// kept as history.
/// </summary>
/// <remarks>
/// The dashboard's dismiss sends the same request with a coded reason and the flag version it showed
/// (<see cref="ExpectedVersion"/>): a flag changed meanwhile is refused with what changed.
/// </remarks>
public sealed record CloseFlag(string FlagId, string? Reason, string Actor, PatientAccess Access)
    : IRequest<CloseFlagResult>,
        IAuditedRequest
{
    public string? ReasonCode { get; init; }

    public int? ExpectedVersion { get; init; }

    public string Action => "close-flag";
}

public sealed record CloseFlagResult(Flag Flag, string PatientReference) : IConcernsPatients
{
    public IEnumerable<string> PatientReferences => [PatientReference];
}

public sealed class CloseFlagValidator : AbstractValidator<CloseFlag>
{
    public CloseFlagValidator() => RuleFor(c => c.Reason).MaximumLength(500);
}

public sealed class CloseFlagHandler(ClinicalDbContext db, TimeProvider clock)
    : IRequestHandler<CloseFlag, CloseFlagResult>
{
    public async ValueTask<CloseFlagResult> Handle(CloseFlag request, CancellationToken cancellationToken)
    {
        var stored =
            await db.Screenings.SingleOrDefaultAsync(s => s.FlagId == request.FlagId, cancellationToken)
            ?? throw new Errors.NotFoundException($"Flag/{request.FlagId} does not exist.");
        request.Access.Require(stored.PatientReference);
        await FlagChangedException.ThrowIfChangedAsync(db, stored, request.ExpectedVersion, cancellationToken);
        if (stored.FlagStatus != "active")
            throw new FhirInputException([
                new InputIssue(
                    IssueSeverity.Error,
                    "business-rule",
                    $"Flag/{request.FlagId} is {stored.FlagStatus}, not active; only an active flag can be closed."
                ),
            ]);
        db.FlagStatusChanges.Add(
            new FlagStatusChange
            {
                Id = Guid.NewGuid(),
                FlagId = request.FlagId,
                From = stored.FlagStatus,
                To = "inactive",
                Reason = request.Reason,
                ReasonCode = request.ReasonCode,
                Actor = request.Actor,
                ChangedAt = clock.GetUtcNow(),
            }
        );
        stored.FlagStatus = "inactive";
        stored.ReviewState = "dismissed";
        stored.Version++;
        await db.SaveChangesAsync(cancellationToken);
        return new CloseFlagResult(SearchFlagsHandler.Current(stored), stored.PatientReference);
    }
}

public static class CloseFlagEndpoint
{
    public static void MapCloseFlag(this RouteGroupBuilder fhir) =>
        fhir.MapPost(
                "/Flag/{id}/$close",
                async (HttpRequest http, IMediator mediator, string id, CancellationToken cancellationToken) =>
                {
                    string? reason = null;
                    if (http.ContentLength is > 0 || http.Headers.TransferEncoding.Count > 0)
                    {
                        FhirContent.RequireFhirJson(http);
                        using var body = await JsonDocument.ParseAsync(http.Body, cancellationToken: cancellationToken);
                        reason = ParametersJson.StringValue(
                            ParametersJson.Parts(body.RootElement),
                            "reason",
                            "valueString"
                        );
                    }
                    var result = await mediator.Send(
                        new CloseFlag(
                            id,
                            reason,
                            FhirContent.Caller(http),
                            SmartScopes.Access(http.HttpContext.User, "Flag", "u")
                        ),
                        cancellationToken
                    );
                    return FhirContent.Result(result.Flag);
                }
            )
            .WithName("CloseFlag")
            .RequireAuthorization(Policies.UpdateFlag);
}
