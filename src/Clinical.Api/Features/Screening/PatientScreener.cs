using Clinical.Api.Persistence;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Clinical.Models.Scoring;

namespace Clinical.Api.Features.Screening;

/// <summary>
/// Screens the patients in a set of accepted resources and stores each result; shared by the Bundle and bulk use cases.
/// </summary>
public sealed class PatientScreener(
    PatientRecordExtractor extractor,
    RiskEngine engine,
    Summaries.PatientSummaries summaries,
    ClinicalDbContext db,
    TimeProvider clock,
    Hosting.ClinicalMetrics metrics,
    Hosting.ClinicalOptions options,
    Hosting.LimitsOptions limits
)
{
    /// <summary>
    /// Screens and stores every patient of the resources. Refused before any scoring: notes over the request's budget
    /// (413) and a patient the caller's access does not cover (403). The token is checked between patients and inside
    /// the note classifier, so a client that goes away, or a request out of time, stops the work.
    /// </summary>
    public async Task<ScreeningOutcome> ScreenAsync(
        IReadOnlyList<AcceptedResource> resources,
        DateOnly? requestedAsOf,
        string source,
        Hosting.PatientAccess access,
        CancellationToken cancellationToken
    )
    {
        var now = clock.GetUtcNow();
        var asOf = requestedAsOf ?? DateOnly.FromDateTime(now.UtcDateTime);
        var extraction = extractor.Extract(resources, asOf, source);
        Hosting.RequestBudgets.CheckNotes(extraction.Patients, limits, source);
        foreach (var record in extraction.Patients)
            access.Require(record.PatientReference);
        var screenings = new List<ScreeningResources>();
        var patients = new List<ScreenedPatient>();
        var deceased = new List<Death>();
        var issues = extraction.Issues.ToList();
        issues.AddRange(extraction.Patients.SelectMany(r => ScreeningMapping.NoteIssues(r, source)));
        var model = new ModelIdentity(RiskEngine.Name, RiskEngine.Version);
        foreach (var record in extraction.Patients)
        {
            if (record.Death is { } death)
            {
                // A flag on a patient who has died wastes a GP's time and distresses families: nothing is emitted.
                deceased.Add(death);
                issues.Add(DeceasedIssue(record, death, source));
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            var estimate = engine.Assess(ScreeningMapping.ToRiskInput(record), cancellationToken);
            var language = ScreeningMapping.LanguageOf(record, options.Language);
            var report = ScreeningMapping.ToReport(record, estimate, now, language);
            model = report.Model;
            var resourcesOut = ScreeningResourceBuilder.Build(
                report,
                $"Device/{ScreeningResourceBuilder.DeviceId(report.Model)}"
            );
            if (resourcesOut.Flag is not null)
                resourcesOut = resourcesOut.WithSummary(
                    summaries.ToFhir(summaries.Summarize(record, cancellationToken: cancellationToken))
                );
            screenings.Add(resourcesOut);
            patients.Add(new ScreenedPatient(record, report, resourcesOut));
            if (resourcesOut.Flag is not null)
                metrics.FlagRaised();
            var stored = Stored(report, resourcesOut, asOf, now);
            Dashboard.Attribution.Apply(stored, record, resourcesOut.Flag is null ? null : estimate, language);
            db.Screenings.Add(stored);
        }
        await Dashboard.Attribution.SupersedeAsync(db, extraction.Patients, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new ScreeningOutcome(screenings, issues, model) { Patients = patients, Deceased = deceased };
    }

    /// <summary>
    /// One information issue per deceased patient: who, when (if recorded) and that nothing was emitted.
    /// </summary>
    public static InputIssue DeceasedIssue(PatientRecord record, Death death, string source) =>
        new(
            IssueSeverity.Information,
            "informational",
            $"{record.PatientReference} is deceased ("
                + (
                    death.On is { } on
                        ? $"Patient.deceasedDateTime {on:yyyy-MM-dd}, on or before the as-of date "
                            + $"{record.AsOf:yyyy-MM-dd}"
                        : "Patient.deceasedBoolean true"
                )
                + "): not screened, no RiskAssessment or Flag.",
            "Patient.deceased",
            Source: source
        );

    private static StoredScreening Stored(
        ScreeningReport report,
        ScreeningResources resources,
        DateOnly asOf,
        DateTimeOffset now
    ) =>
        new()
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
            FlagId = resources.Flag?.Id,
            FlagStatus = resources.Flag is null ? null : "active",
            ProvenanceJson = FhirJson.Serialize(resources.Provenance, indented: false),
            SummaryJson = resources.Summary is null
                ? null
                : FhirJson.Serialize(resources.Summary.Document, indented: false),
        };
}
