using Clinical.Api.Pipeline;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Screening;

/// <summary>
/// Screen every patient of a FHIR Bulk Data export folder (NDJSON per resource type), streaming patient by patient.
/// A patient whose notes are over the note budget is screened on the newest notes that fit, with a warning, as in a
/// cohort run: one patient never stops the export, and what was screened before is kept.
/// </summary>
public sealed record ScreenBulkExport(string Folder, DateOnly? AsOf, string Actor)
    : IRequest<ScreeningOutcome>,
        IAuditedRequest
{
    public string Action => "screen-bulk";
}

public sealed class ScreenBulkExportValidator : AbstractValidator<ScreenBulkExport>
{
    public ScreenBulkExportValidator(TimeProvider clock)
    {
        RuleFor(r => r.Folder).Must(Directory.Exists).WithMessage(r => $"No such folder: {r.Folder}");
        RuleFor(r => r.AsOf).NotInTheFuture(clock);
    }
}

public sealed class ScreenBulkExportHandler(BulkExportReader reader, PatientScreener screener)
    : IRequestHandler<ScreenBulkExport, ScreeningOutcome>
{
    public async ValueTask<ScreeningOutcome> Handle(ScreenBulkExport request, CancellationToken cancellationToken)
    {
        var layout = BulkExportLayout.Discover(request.Folder);
        var issues = new List<InputIssue>();
        var screenings = new List<ScreeningResources>();
        var deceased = new List<Clinical.Fhir.Extraction.Death>();
        var patients = new List<ScreenedPatient>();
        ModelIdentity? model = null;
        foreach (var group in reader.ReadByPatient(layout, issues, cancellationToken))
        {
            var outcome = await screener.ScreenAsync(
                group.Resources,
                request.AsOf,
                group.PatientReference,
                Hosting.PatientAccess.AnyPatient,
                cancellationToken,
                noteBudget: Hosting.NoteBudgetPolicy.ScoreNewestNotes
            );
            screenings.AddRange(outcome.Screenings);
            deceased.AddRange(outcome.Deceased);
            patients.AddRange(outcome.Patients);
            issues.AddRange(outcome.Issues);
            model ??= outcome.Model;
        }
        if ((screenings.Count == 0 && deceased.Count == 0) || model is null)
        {
            issues.Add(
                new InputIssue(
                    IssueSeverity.Error,
                    "required",
                    "The export has no Patient with resources to screen.",
                    Source: request.Folder
                )
            );
            throw new FhirInputException(issues);
        }
        return new ScreeningOutcome(screenings, issues, model) { Deceased = deceased, Patients = patients };
    }
}
