using Clinical.Api.FhirHttp;
using Clinical.Api.Pipeline;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Screening;

/// <summary>
/// Screen every patient in one FHIR input (a Bundle or a single resource, as UTF-8 JSON) as the record stood on AsOf.
/// Access is what the caller's token reaches (a patient/ scope: only its patient); the command line reaches any.
/// </summary>
public sealed record ScreenBundle(
    ReadOnlyMemory<byte> Json,
    string Source,
    DateOnly? AsOf,
    string Actor,
    Hosting.PatientAccess Access
) : IRequest<ScreeningOutcome>, IAuditedRequest
{
    public string Action => "screen";
}

/// <summary>
/// The FHIR resources produced per patient and the issues found in the input (entries left out, warnings).
/// </summary>
public sealed record ScreeningOutcome(
    IReadOnlyList<ScreeningResources> Screenings,
    IReadOnlyList<InputIssue> Issues,
    ModelIdentity Model
) : IConcernsPatients
{
    /// <summary>
    /// Per patient: the extracted record and the report the resources were built from (for cards and summaries).
    /// </summary>
    public IReadOnlyList<ScreenedPatient> Patients { get; init; } = [];

    /// <summary>
    /// Patients found deceased by the as-of date (Death.Source is the Patient): read, not screened, one information
    /// issue each.
    /// </summary>
    public IReadOnlyList<Clinical.Fhir.Extraction.Death> Deceased { get; init; } = [];

    public IEnumerable<string> PatientReferences =>
        Patients.Select(p => p.Record.PatientReference).Concat(Deceased.Select(d => d.Source));
}

/// <summary>One screened patient: the record as extracted, the plain report, and the FHIR resources emitted.</summary>
public sealed record ScreenedPatient(
    Clinical.Fhir.Extraction.PatientRecord Record,
    ScreeningReport Report,
    ScreeningResources Resources
)
{
    /// <summary>The engine's estimate the report was made from (the dashboard's review snapshot reads it).</summary>
    public Clinical.Models.Scoring.RiskEstimate? Estimate { get; init; }

    /// <summary>The language the clinician-facing texts were written in.</summary>
    public string Language { get; init; } = Clinical.Models.Scoring.Wording.RiskWording.DefaultLanguage;
}

public sealed class ScreenBundleValidator : AbstractValidator<ScreenBundle>
{
    public ScreenBundleValidator(TimeProvider clock)
    {
        RuleFor(r => r.Json)
            .Must(json => !json.IsEmpty)
            .WithMessage("The request body is empty; send a FHIR Bundle or resource as JSON.");
        RuleFor(r => r.AsOf).NotInTheFuture(clock);
    }
}

public sealed class ScreenBundleHandler(FhirInputReader reader, PatientScreener screener)
    : IRequestHandler<ScreenBundle, ScreeningOutcome>
{
    public async ValueTask<ScreeningOutcome> Handle(ScreenBundle request, CancellationToken cancellationToken)
    {
        var parsed = reader.Read(request.Json, request.Source);
        var outcome = await screener.ScreenAsync(
            parsed.Resources,
            request.AsOf,
            request.Source,
            request.Access,
            cancellationToken
        );
        var issues = parsed.Issues.Concat(outcome.Issues).ToList();
        if (outcome.Screenings.Count == 0 && outcome.Deceased.Count == 0)
            throw new FhirInputException(issues);
        return outcome with { Issues = issues };
    }
}

public static class ScreenBundleEndpoint
{
    public static void MapScreenBundle(this RouteGroupBuilder fhir) =>
        fhir.MapPost(
                "/Bundle/$hf-screen",
                async (
                    HttpRequest http,
                    IMediator mediator,
                    TimeProvider clock,
                    string? asOf,
                    CancellationToken cancellationToken
                ) =>
                {
                    FhirContent.RequireFhirJson(http);
                    var json = await FhirContent.ReadBodyAsync(http, cancellationToken);
                    var outcome = await mediator.Send(
                        new ScreenBundle(
                            json,
                            "request body",
                            FhirContent.ParseDate(asOf, "asOf"),
                            FhirContent.Caller(http),
                            Hosting.SmartScopes.Access(http.HttpContext.User, "RiskAssessment", "c")
                        ),
                        cancellationToken
                    );
                    var bundle = ScreeningBundleBuilder.Build(
                        outcome.Model,
                        outcome.Screenings,
                        outcome.Issues,
                        clock.GetUtcNow()
                    );
                    return FhirContent.Result(bundle);
                }
            )
            .WithName("ScreenBundle")
            .RequireAuthorization(Hosting.Policies.Screen);
}
