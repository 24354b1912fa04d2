using System.Collections.Concurrent;
using Clinical.Api.Hosting;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Models.Runtime;
using Clinical.Models.Summaries;

namespace Clinical.Api.Features.Summaries;

/// <summary>
/// Summaries of patient records for any use case (the summarize verb; screening, to attach a summary to a flagged
/// patient's result). The model folder is the request's, else Clinical:SummarizerModel, else none (extractive).
/// Loaded models are kept for the life of the process, one per folder.
/// </summary>
public sealed class PatientSummaries(ClinicalOptions options, TimeProvider clock) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<AbstractiveSummarizer>> _models = new(StringComparer.Ordinal);
    private readonly ExtractiveSummarizer _extractive = new(SummaryMapping.Drugs);

    public PatientSummary Summarize(
        PatientRecord record,
        SummaryOptions? summaryOptions = null,
        string? modelDirectory = null,
        CancellationToken cancellationToken = default
    )
    {
        var input = SummaryMapping.ToSummaryInput(record);
        var folder = ModelFolder(modelDirectory);
        return folder is null
            ? _extractive.Summarize(input, summaryOptions)
            : Model(folder).Summarize(input, summaryOptions, cancellationToken);
    }

    /// <summary>
    /// A summary as FHIR: the DocumentReference (text/plain, AIAST) and its Provenance, referring to the sources where
    /// they came from, made now with random ids unless a cohort run gives its own time and ids.
    /// </summary>
    public SummaryResources ToFhir(
        PatientSummary summary,
        SourceLinks? links = null,
        ResourceIds? ids = null,
        DateTimeOffset? createdAt = null
    ) =>
        SummaryDocumentBuilder.Build(
            SummaryMapping.ToDocument(summary, createdAt ?? clock.GetUtcNow()) with
            {
                Links = links ?? SourceLinks.Empty,
            },
            ids
        );

    public string? ModelFolder(string? modelDirectory) =>
        !string.IsNullOrWhiteSpace(modelDirectory) ? modelDirectory
        : !string.IsNullOrWhiteSpace(options.SummarizerModel) ? options.SummarizerModel
        : null;

    private AbstractiveSummarizer Model(string folder) =>
        _models
            .GetOrAdd(
                Path.GetFullPath(folder),
                path => new Lazy<AbstractiveSummarizer>(() =>
                    AbstractiveSummarizer.Load(
                        path,
                        ComputeTarget.Resolve(),
                        SummaryMapping.Drugs,
                        options.AllowBaseSummarizerModel
                    )
                )
            )
            .Value;

    public void Dispose()
    {
        foreach (var model in _models.Values.Where(m => m.IsValueCreated))
            model.Value.Dispose();
    }
}
