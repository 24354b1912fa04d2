using Clinical.Api.Pipeline;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Cohorts.BulkExport;

/// <summary>
/// Export a population from an allow-listed EHR into a folder (FHIR Bulk Data $export with SMART Backend Services),
/// resuming the export already in that folder. By default the resource types screening reads are asked for; the
/// folder is then an input of `screen`/`screen-cohort`. Audited: it brings patient data in.
/// </summary>
public sealed record ExportFromEhr(
    string FhirBase,
    string Folder,
    string Actor,
    string? GroupId = null,
    bool SystemLevel = false,
    string? Since = null,
    IReadOnlyList<string>? Types = null,
    IProgress<ExportProgress>? Progress = null,
    bool CancelOnInterrupt = true
) : IRequest<BulkExportResult>, IAuditedRequest
{
    public string Action => "bulk-export";

    public ExportSpec ToSpec() =>
        new(
            new Uri(FhirBase),
            GroupId is not null ? ExportLevel.Group
                : SystemLevel ? ExportLevel.System
                : ExportLevel.Patient,
            GroupId,
            Since,
            Types is { Count: > 0 } types ? types : BulkDataClient.ScreeningTypes,
            Folder
        );
}

public sealed partial class ExportFromEhrValidator : AbstractValidator<ExportFromEhr>
{
    public ExportFromEhrValidator(BulkDataClient client)
    {
        RuleFor(r => r.FhirBase)
            .Must(b => Uri.TryCreate(b, UriKind.Absolute, out var u) && u.Scheme is "https" or "http")
            .WithMessage(r => $"--from '{r.FhirBase}' is not an http(s) URL of a FHIR server.")
            .DependentRules(() =>
                RuleFor(r => r.FhirBase)
                    .Must(b => client.IsAllowedServer(new Uri(b)))
                    .WithMessage(r =>
                        $"--from {r.FhirBase} is not in Clinical:BulkExport:AllowedFhirServers; it was not contacted."
                    )
            );
        RuleFor(r => r.GroupId)
            .Matches(FhirId())
            .When(r => r.GroupId is not null)
            .WithMessage(r => $"--group '{r.GroupId}' is not a FHIR id (A-Z, a-z, 0-9, '-', '.'; at most 64).");
        RuleFor(r => r.SystemLevel)
            .Must(system => !system)
            .When(r => r.GroupId is not null)
            .WithMessage("--group and --system exclude each other.");
        RuleFor(r => r.Since)
            .Must(s => Hl7.Fhir.Model.Instant.IsValidValue(s!))
            .When(r => r.Since is not null)
            .WithMessage(r =>
                $"--since '{r.Since}' is not a FHIR instant (e.g. 2026-06-01T00:00:00Z, with seconds and a time zone)."
            );
        RuleForEach(r => r.Types)
            .Must(Hl7.Fhir.Model.ModelInfo.IsKnownResource)
            .WithMessage((_, type) => $"--type '{type}' is not a FHIR R4 resource type.");
        RuleFor(r => r.Folder).NotEmpty().WithMessage("--out is required.");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9\\-.]{1,64}$")]
    private static partial System.Text.RegularExpressions.Regex FhirId();
}

public sealed class ExportFromEhrHandler(BulkDataClient client) : IRequestHandler<ExportFromEhr, BulkExportResult>
{
    public async ValueTask<BulkExportResult> Handle(ExportFromEhr request, CancellationToken cancellationToken) =>
        await client.ExportAsync(request.ToSpec(), request.Progress, request.CancelOnInterrupt, cancellationToken);
}
