using Clinical.Synthetic;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Cohorts;

/// <summary>Write a synthetic Spanish primary-care cohort (FHIR + truth.ndjson + summary.json) to a folder.</summary>
public sealed record GenerateCohort(CohortOptions Options, string OutputFolder) : IRequest<CohortSummary>;

public sealed class GenerateCohortValidator : AbstractValidator<GenerateCohort>
{
    public GenerateCohortValidator()
    {
        RuleFor(r => r.Options.Patients)
            .InclusiveBetween(1, 10_000_000)
            .WithMessage("--patients must be between 1 and 10,000,000.");
        RuleFor(r => r.Options.HfShare)
            .InclusiveBetween(0, 1)
            .When(r => r.Options.HfShare is not null)
            .WithMessage("--hf-share must lie in [0, 1].");
        RuleFor(r => r.OutputFolder).NotEmpty().WithMessage("--out is required.");
        RuleFor(r => r.OutputFolder)
            .Must(folder => !Directory.Exists(folder) || !Directory.EnumerateFileSystemEntries(folder).Any())
            .WithMessage(r =>
                $"--out {r.OutputFolder} exists and is not empty; "
                + "choose an empty or new folder so nothing is overwritten."
            );
    }
}

public sealed class GenerateCohortHandler : IRequestHandler<GenerateCohort, CohortSummary>
{
    public ValueTask<CohortSummary> Handle(GenerateCohort request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(
            new CohortGenerator(request.Options).WriteTo(request.OutputFolder, progress: null, cancellationToken)
        );
}
