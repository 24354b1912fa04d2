using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Clinical.Models.Scoring;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Screening;

/// <summary>Screen every patient in one FHIR input (a Bundle or a single resource) as the record stood on AsOf.</summary>
public sealed record ScreenBundle(string Json, string Source, DateOnly? AsOf, string Actor) : IRequest<ScreeningOutcome>, IAuditedRequest
{
    public string Action => "screen";
}

/// <summary>The FHIR resources produced per patient and the issues found in the input (entries left out, warnings).</summary>
public sealed record ScreeningOutcome(IReadOnlyList<ScreeningResources> Screenings, IReadOnlyList<InputIssue> Issues, ModelIdentity Model) : IConcernsPatients
{
    public IEnumerable<string> PatientReferences => Screenings.Select(s => s.RiskAssessment.Subject.Reference ?? "");
}

public sealed class ScreenBundleValidator : AbstractValidator<ScreenBundle>
{
    public ScreenBundleValidator(TimeProvider clock)
    {
        RuleFor(r => r.Json).NotEmpty().WithMessage("The request body is empty; send a FHIR Bundle or resource as JSON.");
        RuleFor(r => r.AsOf)
            .Must(asOf => asOf is null || asOf.Value <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
            .WithMessage(r => $"asOf {r.AsOf:yyyy-MM-dd} is in the future; a record can only be screened as it stood on a past date or today.");
    }
}

public sealed class ScreenBundleHandler(FhirInputReader reader, PatientRecordExtractor extractor, ClinicalDbContext db, TimeProvider clock)
    : IRequestHandler<ScreenBundle, ScreeningOutcome>
{
    public async ValueTask<ScreeningOutcome> Handle(ScreenBundle request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var asOf = request.AsOf ?? DateOnly.FromDateTime(now.UtcDateTime);
        var parsed = reader.Read(request.Json, request.Source);
        var extraction = extractor.Extract(parsed.Resources, asOf, request.Source);
        var issues = parsed.Issues.Concat(extraction.Issues).ToList();
        if (extraction.Patients.Count == 0)
            throw new FhirInputException(issues);

        var screenings = new List<ScreeningResources>();
        ModelIdentity? model = null;
        foreach (var record in extraction.Patients)
        {
            var estimate = NatriureticPeptideRule.Assess(ScreeningMapping.ToRiskInput(record));
            var report = ScreeningMapping.ToReport(record, estimate, now);
            model = report.Model;
            var resources = ScreeningResourceBuilder.Build(report, $"Device/{ScreeningResourceBuilder.DeviceId(report.Model)}");
            screenings.Add(resources);
            db.Screenings.Add(new StoredScreening
            {
                Id = Guid.NewGuid(),
                PatientReference = report.PatientReference,
                AsOf = asOf,
                ScreenedAt = now,
                Probability = (double)report.Probability,
                QualitativeRisk = ScreeningResourceBuilder.Code(report.Level),
                Flagged = resources.Flag is not null,
                ModelName = report.Model.Name,
                ModelVersion = report.Model.Version,
                RiskAssessmentJson = FhirJson.Serialize(resources.RiskAssessment, indented: false),
                FlagJson = resources.Flag is null ? null : FhirJson.Serialize(resources.Flag, indented: false),
                ProvenanceJson = FhirJson.Serialize(resources.Provenance, indented: false),
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        return new ScreeningOutcome(screenings, issues, model!);
    }
}

public static class ScreenBundleEndpoint
{
    public static void MapScreenBundle(this RouteGroupBuilder fhir) =>
        fhir.MapPost("/Bundle/$hf-screen", async (HttpRequest http, IMediator mediator, TimeProvider clock, string? asOf, CancellationToken cancellationToken) =>
        {
            FhirContent.RequireFhirJson(http);
            using var body = new StreamReader(http.Body);
            var json = await body.ReadToEndAsync(cancellationToken);
            var outcome = await mediator.Send(new ScreenBundle(json, "request body", FhirContent.ParseDate(asOf, "asOf"), FhirContent.Caller(http)), cancellationToken);
            var bundle = ScreeningBundleBuilder.Build(outcome.Model, outcome.Screenings, outcome.Issues, clock.GetUtcNow());
            return FhirContent.Result(bundle);
        })
        .WithName("ScreenBundle");
}
