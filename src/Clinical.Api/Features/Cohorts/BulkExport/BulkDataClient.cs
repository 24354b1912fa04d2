using Clinical.Api.Hosting;

namespace Clinical.Api.Features.Cohorts.BulkExport;

/// <summary>What to export, from where, into which folder.</summary>
public sealed record ExportSpec(
    Uri FhirBase,
    ExportLevel Level,
    string? GroupId,
    string? Since,
    IReadOnlyList<string> Types,
    string Folder
);

public enum ExportPhase
{
    KickOff,
    Waiting,
    Retrying,
    Downloading,
    Downloaded,
    Cancelled,
    Complete,
}

/// <summary>A line of progress for the terminal or a job's progress display.</summary>
public sealed record ExportProgress(ExportPhase Phase, string Message, int FilesDone = 0, int FilesTotal = 0);

/// <summary>What an export left in its folder.</summary>
public sealed record BulkExportResult(
    string Folder,
    string TransactionTime,
    int Files,
    long Resources,
    long Bytes,
    int ErrorFiles,
    IReadOnlyList<string> ServerErrors,
    bool Resumed
);

/// <summary>
/// The export cannot go on: the EHR refused, failed, or pointed somewhere it may not (exit 1, HTTP 500).
/// </summary>
public class BulkExportException(string message) : Exception(message);

/// <summary>
/// The FHIR Bulk Data client: fills a folder with an EHR's export in the layout the cohort job reads
/// (`Type.000.ndjson`, manifest.json, the standard log.ndjson, error/ and deleted/ beside them). A rerun on the same
/// folder resumes: it polls the same status URL, or downloads the files not yet whole (export-state.json). Ctrl-C
/// while the EHR is still preparing the export sends DELETE to cancel it there; during downloads it keeps the
/// state, so a rerun finishes them. Once every file is whole the export is DELETEd so the EHR can release it.
/// </summary>
public sealed class BulkDataClient(
    BulkExportOptions options,
    BackendServicesToken tokens,
    IHttpClientFactory httpClients,
    TimeProvider clock
)
{
    /// <summary>Resource types the screening reads (Clinical.Fhir's extractor and the bulk reader).</summary>
    public static IReadOnlyList<string> ScreeningTypes =>
        Clinical.Fhir.Extraction.PatientRecordExtractor.ResourceTypesRead;

    public bool IsAllowedServer(Uri fhirBase) => OutboundUrls.IsAllowed(fhirBase, options.AllowedFhirServers);

    public async Task<BulkExportResult> ExportAsync(
        ExportSpec spec,
        IProgress<ExportProgress>? progress,
        bool cancelOnInterrupt,
        CancellationToken cancellationToken
    )
    {
        if (!IsAllowedServer(spec.FhirBase))
            throw new ArgumentException(
                $"{spec.FhirBase} is not in Clinical:BulkExport:AllowedFhirServers; it was not contacted."
            );
        void Report(ExportProgress p) => progress?.Report(p);
        Directory.CreateDirectory(spec.Folder);
        await using var folderLock = ExportFolder.Lock(spec.Folder);
        var kickOffUrl = ExportKickOff.Url(spec.FhirBase, spec.Level, spec.GroupId, spec.Types, spec.Since);
        var state = ExportFolder.Resume(spec.Folder, kickOffUrl);
        var resumed = state is not null;
        state ??= new ExportState { KickOffUrl = kickOffUrl.AbsoluteUri };
        if (state.CompletedAt is not null)
            return ExportFolder.Result(spec.Folder, state, resumed);

        var policy = new ExportUrlPolicy(spec.FhirBase, options.AllowedOrigins);
        var log = new ExportLog(spec.Folder, clock);
        var http = new ExportHttp(
            httpClients.CreateClient(BulkExportServices.HttpClientName),
            options,
            clock,
            policy,
            tokens,
            Report
        );
        var kickOff = new ExportKickOff(http, log, Report);
        if (!state.HasManifest)
            await WaitForManifestAsync(
                spec,
                state,
                kickOffUrl,
                kickOff,
                log,
                Report,
                cancelOnInterrupt,
                cancellationToken
            );
        else
            log.ExportId = state.StatusUrl ?? log.ExportId;

        Report(
            new ExportProgress(
                ExportPhase.Downloading,
                $"Downloading {state.Files.Count(f => !f.Done)} of {state.Files.Count} files.",
                state.Files.Count(f => f.Done),
                state.Files.Count
            )
        );
        var failures = await new ExportDownloads(http, state, spec.Folder, log).DownloadAllAsync(
            Report,
            cancellationToken
        );
        if (failures.Count > 0)
        {
            state.Save(spec.Folder);
            throw new BulkExportException(
                $"{failures.Count} of {state.Files.Count} files could not be downloaded "
                    + $"({failures[0].Reason}); rerun the same command to resume."
            );
        }
        if (state.StatusUrl is { } statusUrl)
            await kickOff.DeleteAsync(new Uri(statusUrl));
        state.CompletedAt = clock.GetUtcNow();
        state.Save(spec.Folder);
        log.ExportComplete(state.Files);
        var result = ExportFolder.Result(spec.Folder, state, resumed);
        Report(
            new ExportProgress(
                ExportPhase.Complete,
                $"Export complete: {result.Files} files, {result.Resources:N0} resources; transactionTime "
                    + $"{result.TransactionTime} (the --since of the next incremental export).",
                result.Files,
                result.Files
            )
        );
        return result;
    }

    private async Task WaitForManifestAsync(
        ExportSpec spec,
        ExportState state,
        Uri kickOffUrl,
        ExportKickOff kickOff,
        ExportLog log,
        Action<ExportProgress> report,
        bool cancelOnInterrupt,
        CancellationToken cancellationToken
    )
    {
        ExportManifest manifest;
        for (var restarted = false; ; restarted = true)
        {
            if (state.StatusUrl is null)
            {
                var started = await kickOff.StartAsync(kickOffUrl, tokens.IsConfigured, cancellationToken);
                state.StatusUrl = started.AbsoluteUri;
                state.KickedOffAt = clock.GetUtcNow();
                state.Save(spec.Folder);
            }
            else
            {
                log.ExportId = state.StatusUrl;
                report(new ExportProgress(ExportPhase.Waiting, $"Resuming the export at {state.StatusUrl}."));
            }
            var statusUrl = new Uri(state.StatusUrl);
            try
            {
                manifest = await kickOff.WaitAsync(statusUrl, cancellationToken);
                break;
            }
            catch (ExportGoneException) when (!restarted)
            {
                // Nothing was downloaded yet, so a new export loses nothing.
                report(new ExportProgress(ExportPhase.KickOff, "The EHR no longer has that export; starting anew."));
                state.StatusUrl = null;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && cancelOnInterrupt)
            {
                var deleted = await kickOff.DeleteAsync(statusUrl);
                File.Delete(Path.Combine(spec.Folder, ExportState.FileName));
                report(
                    new ExportProgress(
                        ExportPhase.Cancelled,
                        deleted
                            ? "Export cancelled on the EHR (DELETE)."
                            : "Interrupted; the EHR did not confirm the DELETE, so the export may run on there."
                    )
                );
                throw;
            }
        }
        state.TransactionTime = manifest.TransactionTime;
        state.RequiresAccessToken = manifest.RequiresAccessToken;
        state.Files = ExportFolder.LocalFiles(manifest, new ExportUrlPolicy(spec.FhirBase, options.AllowedOrigins));
        await File.WriteAllTextAsync(
            Path.Combine(spec.Folder, ExportManifest.FileName),
            manifest.ToJson(),
            cancellationToken
        );
        state.Save(spec.Folder);
    }
}
