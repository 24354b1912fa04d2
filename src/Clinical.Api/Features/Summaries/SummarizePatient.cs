using Clinical.Api.Pipeline;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Summaries;
using FluentValidation;
using Mediator;

namespace Clinical.Api.Features.Summaries;

/// <summary>
/// Summarise every patient in one FHIR input (a Bundle or a single resource) as the record stood on AsOf: HF-relevant
/// history, symptoms with dates, NT-proBNP/LVEF values, medications and what is missing, with a grounding report.
/// ModelDirectory (else Clinical:SummarizerModel) names a Salamandra/ALIA instruct folder; without one the summary is
/// extractive.
/// </summary>
public sealed record SummarizePatient(
    ReadOnlyMemory<byte> Json,
    string Source,
    DateOnly? AsOf,
    string? ModelDirectory,
    int MaxNewTokens,
    double TimeBudgetSeconds,
    string Actor
) : IRequest<SummaryOutcome>, IAuditedRequest
{
    public string Action => "summarize";
}

public sealed record SummaryOutcome(IReadOnlyList<PatientSummary> Summaries, IReadOnlyList<InputIssue> Issues)
    : IConcernsPatients
{
    public IEnumerable<string> PatientReferences => Summaries.Select(s => s.PatientReference);
}

public sealed class SummarizePatientValidator : AbstractValidator<SummarizePatient>
{
    public SummarizePatientValidator(TimeProvider clock, PatientSummaries summaries)
    {
        RuleFor(r => r.Json)
            .Must(json => !json.IsEmpty)
            .WithMessage("The input is empty; give a FHIR Bundle or resource as JSON.");
        RuleFor(r => r.AsOf).NotInTheFuture(clock);
        RuleFor(r => r.MaxNewTokens)
            .InclusiveBetween(1, 4096)
            .WithMessage("max-new-tokens must be between 1 and 4096.");
        RuleFor(r => r.TimeBudgetSeconds)
            .InclusiveBetween(0.001, 3600)
            .WithMessage("time-budget must be between 0.001 and 3600 seconds.");
        RuleFor(r => summaries.ModelFolder(r.ModelDirectory))
            .Must(folder => folder is null || File.Exists(Path.Combine(folder, "config.json")))
            .WithName("summarizer-model")
            .WithMessage(r =>
                $"The summarizer model folder '{summaries.ModelFolder(r.ModelDirectory)}' has no config.json "
                + "(a Hugging Face folder with config.json, safetensors weights and tokenizer.model is needed)."
            );
    }
}

public sealed class SummarizePatientHandler(
    FhirInputReader reader,
    PatientRecordExtractor extractor,
    PatientSummaries summaries,
    TimeProvider clock
) : IRequestHandler<SummarizePatient, SummaryOutcome>
{
    public ValueTask<SummaryOutcome> Handle(SummarizePatient request, CancellationToken cancellationToken)
    {
        var parsed = reader.Read(request.Json, request.Source);
        var asOf = request.AsOf ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var extraction = extractor.Extract(parsed.Resources, asOf, request.Source);
        var issues = parsed.Issues.Concat(extraction.Issues).ToList();
        if (extraction.Patients.Count == 0)
            throw new FhirInputException(
                issues.Count > 0
                    ? issues
                    : [new InputIssue(IssueSeverity.Error, "not-found", $"{request.Source}: no patient to summarise.")]
            );
        var options = new SummaryOptions
        {
            MaxNewTokens = request.MaxNewTokens,
            TimeBudget = TimeSpan.FromSeconds(request.TimeBudgetSeconds),
        };
        var results = extraction
            .Patients.Select(record => summaries.Summarize(record, options, request.ModelDirectory, cancellationToken))
            .ToList();
        return ValueTask.FromResult(new SummaryOutcome(results, issues));
    }
}
