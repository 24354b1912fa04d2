using Clinical.Api.Persistence;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Clinical.Models.Scoring;
using Hl7.Fhir.Model;

namespace Clinical.Api.Features.Screening;

/// <summary>
/// When and how patients are screened: the as-of date, the instant every result carries, and for a cohort run its id
/// (resource ids derived from it and the patient, and a meta.tag naming it).
/// </summary>
public sealed record ScreeningContext(DateOnly AsOf, DateTimeOffset ScreenedAt, string? RunId = null)
{
    public ResourceIds IdsFor(string patientReference) =>
        RunId is null ? ResourceIds.Random : ResourceIds.Derived($"{RunId}|{patientReference}");

    public void Tag(Resource resource)
    {
        if (RunId is null)
            return;
        resource.Meta ??= new Meta();
        resource.Meta.Tag.Add(new Coding(ProductCodes.CohortRunSystem, RunId));
    }
}

/// <summary>
/// The one screening path: extract each patient's record, score the records in one engine batch, build the FHIR
/// resources, summarise flagged patients' notes, and store each result. Shared by the Bundle, bulk, CDS Hooks and
/// cohort use cases; a cohort calls the steps itself (in parallel, batch by batch) and saves each batch with its
/// run state, where <see cref="ScreenAsync"/> does them all for one input and saves once.
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
    /// Screens and stores every patient of the resources. Refused before any scoring: a patient the caller's access
    /// does not cover (403), and notes over the request's budget (413) unless <paramref name="noteBudget"/> says
    /// to score each patient's newest notes that fit (a warning each). The token is checked between patients and
    /// inside the note classifier, so a client that goes away, or a request out of time, stops the work.
    /// </summary>
    public async Task<ScreeningOutcome> ScreenAsync(
        IReadOnlyList<AcceptedResource> resources,
        DateOnly? requestedAsOf,
        string source,
        Hosting.PatientAccess access,
        CancellationToken cancellationToken,
        Uri? serverBase = null,
        Hosting.NoteBudgetPolicy noteBudget = Hosting.NoteBudgetPolicy.RefuseRequest
    )
    {
        var context = Context(requestedAsOf);
        var extraction = Extract(resources, context, source, serverBase);
        if (noteBudget == Hosting.NoteBudgetPolicy.RefuseRequest)
            Hosting.RequestBudgets.CheckNotes(extraction.Patients, limits, source);
        foreach (var record in extraction.Patients)
            access.Require(record.PatientReference);
        var issues = extraction.Issues.ToList();
        var records =
            noteBudget == Hosting.NoteBudgetPolicy.RefuseRequest
                ? extraction.Patients
                : extraction.Patients.Select(r => FitNotes(r, source, issues)).ToList();
        issues.AddRange(records.SelectMany(r => ScreeningMapping.NoteIssues(r, source)));
        var living = Living(records, source, issues, out var deceased);
        var patients = Screen(living, context, cancellationToken: cancellationToken)
            .Select(p => p.Resources.Flag is null ? p : Summarize(p, context, cancellationToken))
            .ToList();
        var rows = patients.Select(p => ToStored(p, context)).ToList();
        // The patients' earlier results leave the worklist in the same transaction as their new rows are saved: a
        // failure or a cancelled request between the two would leave them with no latest result at all.
        await using (var transaction = await WriteTransaction.BeginAsync(db, cancellationToken))
        {
            await Dashboard.Attribution.SupersedeAsync(db, extraction.Patients, cancellationToken);
            foreach (var row in rows)
                Stage(row);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var model =
            patients.Count > 0 ? patients[^1].Report.Model : new ModelIdentity(RiskEngine.Name, RiskEngine.Version);
        return new ScreeningOutcome(patients.Select(p => p.Resources).ToList(), issues, model)
        {
            Patients = patients,
            Deceased = deceased,
        };
    }

    /// <summary>
    /// The record with the newest notes that fit the note budget, and its warning when notes were left out; a deceased
    /// patient is not screened, so their notes are left as they are.
    /// </summary>
    private PatientRecord FitNotes(PatientRecord record, string source, List<InputIssue> issues)
    {
        if (record.IsDeceased)
            return record;
        var fit = Hosting.RequestBudgets.FitNotes(record, limits, source);
        if (fit.Warning is { } warning)
            issues.Add(warning);
        return fit.Record;
    }

    /// <summary>
    /// The records to screen: a flag on a patient who has died wastes a GP's time and distresses families, so a
    /// deceased patient is left out with one information issue (<see cref="DeceasedIssue"/>) and nothing is emitted.
    /// </summary>
    public static IReadOnlyList<PatientRecord> Living(
        IReadOnlyList<PatientRecord> records,
        string source,
        List<InputIssue> issues,
        out IReadOnlyList<Death> deceased
    )
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(issues);
        var living = new List<PatientRecord>(records.Count);
        var dead = new List<Death>();
        foreach (var record in records)
        {
            if (record.Death is { } death)
            {
                dead.Add(death);
                issues.Add(DeceasedIssue(record, death, source));
            }
            else
                living.Add(record);
        }
        deceased = dead;
        return living;
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

    /// <summary>Screening now, as the record stood on the requested date (today by default).</summary>
    public ScreeningContext Context(DateOnly? requestedAsOf, string? runId = null)
    {
        var now = clock.GetUtcNow();
        return new ScreeningContext(requestedAsOf ?? DateOnly.FromDateTime(now.UtcDateTime), now, runId);
    }

    /// <summary>
    /// The patients' records as they stood on the context's as-of date (thread-safe); <paramref name="serverBase"/> is
    /// where the resources came from when the caller knows it (a hook's fhirServer), for references that resolve there.
    /// </summary>
    public ExtractionResult Extract(
        IReadOnlyList<AcceptedResource> resources,
        ScreeningContext context,
        string source,
        Uri? serverBase = null
    ) => extractor.Extract(resources, context.AsOf, source, serverBase);

    /// <summary>
    /// Scores the records as one engine batch (rules and tabular on up to <paramref name="parallelism"/> threads, the
    /// notes of all of them in one classifier batch) and builds each patient's resources, in the patient's language,
    /// without summaries. Thread-safe; touches no database. Deceased patients are left out before (see
    /// <see cref="Living"/>).
    /// </summary>
    public IReadOnlyList<ScreenedPatient> Screen(
        IReadOnlyList<PatientRecord> records,
        ScreeningContext context,
        int parallelism = 1,
        CancellationToken cancellationToken = default
    )
    {
        var estimates = engine.AssessBatch(
            records.Select(ScreeningMapping.ToRiskInput).ToList(),
            parallelism,
            cancellationToken
        );
        var patients = new ScreenedPatient[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var language = ScreeningMapping.LanguageOf(records[i], options.Language);
            var report = ScreeningMapping.ToReport(records[i], estimates[i], context.ScreenedAt, language);
            var resources = ScreeningResourceBuilder.Build(
                report,
                $"Device/{ScreeningResourceBuilder.DeviceId(report.Model)}",
                context.IdsFor(report.PatientReference)
            );
            foreach (var resource in resources.All())
                context.Tag(resource);
            if (resources.Flag is not null)
                metrics.FlagRaised();
            patients[i] = new ScreenedPatient(records[i], report, resources)
            {
                Estimate = estimates[i],
                Language = language,
            };
        }
        return patients;
    }

    /// <summary>A flagged patient's result with the grounded summary of their notes attached (thread-safe).</summary>
    public ScreenedPatient Summarize(
        ScreenedPatient patient,
        ScreeningContext context,
        CancellationToken cancellationToken
    )
    {
        var summary = summaries.ToFhir(
            summaries.Summarize(patient.Record, cancellationToken: cancellationToken),
            patient.Record.Links,
            context.IdsFor(patient.Report.PatientReference),
            context.RunId is null ? null : context.ScreenedAt
        );
        foreach (var resource in summary.All())
            context.Tag(resource);
        return patient with { Resources = patient.Resources.WithSummary(summary) };
    }

    /// <summary>Adds a result's row to this scope's unit of work; the caller saves it.</summary>
    public void Stage(StoredScreening row) => db.Screenings.Add(row);

    /// <summary>
    /// The row that stores a result: the emitted resources as compact JSON plus the fields searched on and what the
    /// dashboard's worklist shows (thread-safe; a cohort run's row id is derived like its resources' ids, so a batch
    /// saved twice would collide).
    /// </summary>
    public static StoredScreening ToStored(ScreenedPatient patient, ScreeningContext context)
    {
        var (report, resources) = (patient.Report, patient.Resources);
        var row = new StoredScreening
        {
            Id = context.RunId is null
                ? Guid.NewGuid()
                : Guid.Parse(context.IdsFor(report.PatientReference).For("StoredScreening")),
            PatientReference = report.PatientReference,
            AsOf = context.AsOf,
            ScreenedAt = context.ScreenedAt,
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
            RunId = context.RunId,
        };
        Dashboard.Attribution.Apply(
            row,
            patient.Record,
            resources.Flag is null ? null : patient.Estimate,
            patient.Language
        );
        return row;
    }
}
