using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Clinical.Api.Features.Screening;
using Clinical.Api.FhirHttp;
using Clinical.Api.Hosting;
using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using Clinical.Fhir.Parsing;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Caching.Memory;

namespace Clinical.Api.Features.CdsHooks;

/// <summary>The CDS Hooks 2.0 request body (only what this service reads).</summary>
public sealed class CdsHookRequest
{
    public string? Hook { get; init; }

    public string? HookInstance { get; init; }

    public string? FhirServer { get; init; }

    public CdsFhirAuthorization? FhirAuthorization { get; init; }

    public Dictionary<string, JsonElement>? Context { get; init; }

    public Dictionary<string, JsonElement>? Prefetch { get; init; }

    public string? ContextString(string name) =>
        Context is not null && Context.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

public sealed record CdsFhirAuthorization(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("subject")] string? Subject
);

/// <summary>patient-view on hf-screening: screen the patient in view and answer cards.</summary>
public sealed record HfScreeningHook(CdsHookRequest Body, string Actor)
    : IRequest<HfScreeningHookResult>,
        IAuditedRequest,
        INamesPatient
{
    public string Action => "cds-hook";

    public string? PatientReference => Body.ContextString("patientId") is { Length: > 0 } id ? $"Patient/{id}" : null;
}

public sealed record HfScreeningHookResult(CdsResponse Response, string PatientReference) : IConcernsPatients
{
    public IEnumerable<string> PatientReferences => [PatientReference];
}

public sealed partial class HfScreeningHookValidator : AbstractValidator<HfScreeningHook>
{
    public HfScreeningHookValidator()
    {
        RuleFor(r => r.Body.Hook)
            .Equal(Discovery.Hook)
            .WithMessage(r =>
                $"hook '{r.Body.Hook}' is not served here; {Discovery.ServiceId} answers '{Discovery.Hook}'."
            )
            .OverridePropertyName("hook");
        RuleFor(r => r.Body.HookInstance)
            .Must(v => Guid.TryParseExact(v, "D", out _))
            .WithMessage("hookInstance must be a UUID (e.g. d1577c69-dfbe-44ad-ba6d-3e05e953b2ea).")
            .OverridePropertyName("hookInstance");
        RuleFor(r => r.Body.ContextString("patientId"))
            .Must(v => v is not null && FhirId().IsMatch(v))
            .WithMessage(r =>
                r.Body.ContextString("patientId") is { } v && v.Contains('/', StringComparison.Ordinal)
                    ? "context.patientId must be the Patient's id, not a reference: "
                        + $"send '{v[(v.LastIndexOf('/') + 1)..]}', not '{v}'."
                    : "context.patientId is required and must be a FHIR id ([A-Za-z0-9-.], 1-64 characters)."
            )
            .OverridePropertyName("context.patientId");
        RuleFor(r => r.Body.ContextString("userId"))
            .Must(v => v is not null && UserReference().IsMatch(v))
            .WithMessage("context.userId is required: a reference such as Practitioner/123 or PractitionerRole/123.")
            .OverridePropertyName("context.userId");
        RuleFor(r => r.Body.FhirServer)
            .Must(v => Uri.TryCreate(v, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
            .When(r => r.Body.FhirServer is not null)
            .WithMessage("fhirServer must be an absolute http(s) URL.")
            .OverridePropertyName("fhirServer");
        RuleFor(r => r.Body.FhirServer)
            .NotEmpty()
            .When(r => r.Body.FhirAuthorization is not null)
            .WithMessage("fhirAuthorization was sent without fhirServer.")
            .OverridePropertyName("fhirServer");
        RuleFor(r => r.Body.FhirAuthorization!.AccessToken)
            .NotEmpty()
            .When(r => r.Body.FhirAuthorization is not null)
            .WithMessage("fhirAuthorization.access_token is required.")
            .OverridePropertyName("fhirAuthorization.access_token");
        RuleForEach(r => r.Body.Prefetch ?? new Dictionary<string, JsonElement>())
            .Must(p => p.Value.ValueKind == JsonValueKind.Null || PrefetchAssembler.ResourceType(p.Value) is not null)
            .WithMessage(
                (_, p) =>
                    $"prefetch '{p.Key}' is not a FHIR resource (no resourceType): send the resource or searchset "
                    + "Bundle itself, null when known empty, or an OperationOutcome when it failed."
            )
            .OverridePropertyName("prefetch");
    }

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex FhirId();

    [GeneratedRegex("^(Practitioner|PractitionerRole|Patient|RelatedPerson)/[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex UserReference();
}

public sealed class HfScreeningHookHandler(
    PrefetchAssembler assembler,
    FhirInputReader reader,
    PatientScreener screener,
    IMemoryCache cache,
    CdsHooksOptions options,
    ClinicalDbContext db,
    TimeProvider clock,
    ClinicalMetrics metrics
) : IRequestHandler<HfScreeningHook, HfScreeningHookResult>
{
    public async ValueTask<HfScreeningHookResult> Handle(HfScreeningHook request, CancellationToken cancellationToken)
    {
        var patientId = request.Body.ContextString("patientId")!;
        var patientReference = $"Patient/{patientId}";
        var pieces = await assembler.AssembleAsync(request.Body, patientId, cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var key = Fingerprint(patientId, today, pieces);
        if (!cache.TryGetValue(key, out IReadOnlyList<CdsCard>? cards) || cards is null)
        {
            var parsed = ParsedInput.Merge(
                "prefetch",
                Ordered(pieces).Select(p => reader.Read(p.Json, $"prefetch.{p.Key}"))
            );
            if (parsed.ConflictingIds.Contains(patientReference))
                throw PatientInConflict(patientReference, parsed.Issues);
            var resources = parsed
                .Resources
                // Only the patient in context is screened.
                .Where(r => r.Resource is not Hl7.Fhir.Model.Patient other || other.Id == patientId)
                .ToList();
            // Prefetched or fetched, the data came from the EHR's FHIR server: emitted references point there.
            var serverBase = Uri.TryCreate(request.Body.FhirServer, UriKind.Absolute, out var server) ? server : null;
            var outcome = await screener.ScreenAsync(
                resources,
                today,
                "cds-hooks",
                PatientAccess.AnyPatient,
                cancellationToken,
                serverBase
            );
            // A deceased patient is not screened, so there is nothing to say: no card.
            var screened = outcome.Patients.FirstOrDefault(p => p.Report.PatientReference == patientReference);
            cards =
                outcome.Deceased.Any(d => d.Source == patientReference) ? []
                : screened is not null ? HfCards.Build(screened, patientId, options)
                : throw PatientNotRead(patientReference, parsed.Issues);
            cache.Set(key, cards, TimeSpan.FromMinutes(options.CacheMinutes));
        }
        else
        {
            metrics.HookCacheHit();
        }
        var issued = cards.Select(c => c with { Uuid = Guid.NewGuid().ToString() }).ToList();
        var now = clock.GetUtcNow();
        foreach (var card in issued)
        {
            db.IssuedCards.Add(
                new IssuedCard
                {
                    Uuid = Guid.Parse(card.Uuid),
                    HookInstance = request.Body.HookInstance!,
                    PatientReference = patientReference,
                    Indicator = card.Indicator,
                    IssuedAt = now,
                }
            );
        }
        // Committed with the audit row by AuditBehaviour (one transaction; nothing is kept if the request fails).
        return new HfScreeningHookResult(new CdsResponse(issued), patientReference);
    }

    /// <summary>
    /// The patient in context was in the prefetch but none of its Patient resources could be read (a searchset whose
    /// Patient has birthDate "0000-00-00", issue 16): the reader's issues say why, and there is nobody to screen.
    /// </summary>
    private static FhirInputException PatientNotRead(string patientReference, IEnumerable<InputIssue> readIssues) =>
        new([
            .. readIssues,
            new InputIssue(
                IssueSeverity.Error,
                "required",
                $"The patient in context ({patientReference}) could not be read from the prefetch, so nobody was "
                    + "screened; see the other issues.",
                "prefetch.patient",
                Source: "cds-hooks"
            ),
        ]);

    /// <summary>
    /// The pieces in the order they are read (the patient first, then by key), whatever order they were sent in: which
    /// copy a conflict leaves out must not depend on it, as the cache's fingerprint does not.
    /// </summary>
    private static IEnumerable<PrefetchPiece> Ordered(IEnumerable<PrefetchPiece> pieces) =>
        pieces.OrderBy(p => p.Key != "patient").ThenBy(p => p.Key, StringComparer.Ordinal);

    /// <summary>
    /// Two different Patient resources with the id in context (in one piece or two): which one is this patient cannot
    /// be told, and a 200 has no place for the issue, so nobody is screened and the issues say where both are.
    /// </summary>
    private static FhirInputException PatientInConflict(string patientReference, IEnumerable<InputIssue> readIssues) =>
        new([
            .. readIssues,
            new InputIssue(
                IssueSeverity.Error,
                "duplicate",
                $"The prefetch holds two different {patientReference} resources (see the other issues), so the "
                    + "patient in context cannot be told apart and nobody was screened; send one.",
                "prefetch",
                Source: "cds-hooks"
            ),
        ]);

    private static string Fingerprint(string patientId, DateOnly today, IEnumerable<PrefetchPiece> pieces)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{patientId}\n{today:yyyy-MM-dd}\n"));
        foreach (var piece in pieces.OrderBy(p => p.Key, StringComparer.Ordinal))
            hash.AppendData(Encoding.UTF8.GetBytes($"{piece.Key}\n{piece.Json}\n"));
        return "cds:" + Convert.ToHexString(hash.GetHashAndReset());
    }
}

public static class HfScreeningHookEndpoint
{
    public static void MapHfScreeningHook(this RouteGroupBuilder cds) =>
        cds.MapPost(
                $"/{Discovery.ServiceId}",
                async (HttpRequest http, IMediator mediator, CancellationToken cancellationToken) =>
                {
                    var body = await CdsRequestBody.ReadAsync<CdsHookRequest>(http, cancellationToken);
                    var user = body.ContextString("userId");
                    var actor = user is null ? FhirContent.Caller(http) : $"{FhirContent.Caller(http)} (user {user})";
                    var result = await mediator.Send(new HfScreeningHook(body, actor), cancellationToken);
                    return CdsJson.Result(result.Response);
                }
            )
            .WithName("HfScreeningHook");
}
