using System.Text.Json;
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
        await using var folderLock = Lock(spec.Folder);
        var kickOffUrl = ExportKickOff.Url(spec.FhirBase, spec.Level, spec.GroupId, spec.Types, spec.Since);
        var state = Resume(spec.Folder, kickOffUrl);
        var resumed = state is not null;
        state ??= new ExportState { KickOffUrl = kickOffUrl.AbsoluteUri };
        if (state.CompletedAt is not null)
            return Result(spec.Folder, state, resumed);

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
        var result = Result(spec.Folder, state, resumed);
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
        state.Files = Files(manifest, new ExportUrlPolicy(spec.FhirBase, options.AllowedOrigins));
        await File.WriteAllTextAsync(
            Path.Combine(spec.Folder, ExportManifest.FileName),
            manifest.ToJson(),
            cancellationToken
        );
        state.Save(spec.Folder);
    }

    /// <summary>
    /// Local names in the reader's layout: `Type.000.ndjson` (numbered per type in manifest order) for output,
    /// the same under error/ and deleted/ (as SMART's bulk-data-client lays them out). A type that is not a plain
    /// resource type name is refused: it becomes a file name. Every URL is checked before anything is fetched.
    /// </summary>
    private static List<ExportFileState> Files(ExportManifest manifest, ExportUrlPolicy policy)
    {
        var files = new List<ExportFileState>();
        foreach (
            var (kind, entries) in new[]
            {
                ("output", manifest.Output),
                ("error", manifest.Error),
                ("deleted", manifest.Deleted),
            }
        )
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (!System.Text.RegularExpressions.Regex.IsMatch(entry.Type, "^[A-Z][A-Za-z]{1,63}$"))
                    throw new BulkExportException(
                        $"The manifest names a file of type '{entry.Type}', not a resource type."
                    );
                policy.Check(entry.Url, $"the {kind} file");
                var index = counts[entry.Type] = counts.GetValueOrDefault(entry.Type) + 1;
                var name = $"{entry.Type}.{index - 1:D3}.ndjson";
                files.Add(
                    new ExportFileState
                    {
                        Kind = kind,
                        Type = entry.Type,
                        Url = entry.Url.AbsoluteUri,
                        Path = kind == "output" ? name : $"{kind}/{name}",
                        Count = entry.Count,
                    }
                );
            }
        }
        return files;
    }

    /// <summary>The folder's state when it holds this same export; a folder of anything else is refused.</summary>
    private static ExportState? Resume(string folder, Uri kickOffUrl)
    {
        var state = ExportState.Load(folder);
        if (state is null)
        {
            var others = Directory.EnumerateFileSystemEntries(folder).Where(p => !IsOurs(p)).Take(1).ToList();
            if (others.Count > 0)
                throw new ArgumentException(
                    $"{folder} is not empty and holds no export to resume ({Path.GetFileName(others[0])}); "
                        + "export into a new or empty folder."
                );
            return null;
        }
        if (state.KickOffUrl != kickOffUrl.AbsoluteUri)
            throw new ArgumentException(
                $"{folder} holds another export ({state.KickOffUrl}); export into a new or empty folder."
            );
        return state;
    }

    private static bool IsOurs(string path) =>
        Path.GetFileName(path) is ExportLog.FileName or LockFileName || path.EndsWith(".tmp", StringComparison.Ordinal);

    private const string LockFileName = ".export.lock";

    private static FileStream Lock(string folder)
    {
        try
        {
            return new FileStream(
                Path.Combine(folder, LockFileName),
                FileMode.OpenOrCreate,
                FileAccess.ReadWrite,
                FileShare.None,
                1,
                FileOptions.DeleteOnClose
            );
        }
        catch (IOException)
        {
            throw new ArgumentException($"Another export is writing to {folder}.");
        }
    }

    private static BulkExportResult Result(string folder, ExportState state, bool resumed)
    {
        var output = state.Files.Where(f => f.Kind == "output").ToList();
        var errors = state.Files.Where(f => f.Kind == "error").ToList();
        return new BulkExportResult(
            folder,
            state.TransactionTime ?? "",
            output.Count,
            output.Sum(f => f.Lines ?? 0),
            state.Files.Sum(f => f.Bytes),
            errors.Count,
            ServerErrors(folder, errors),
            resumed
        );
    }

    /// <summary>
    /// The error and fatal issues of the EHR's error files (OperationOutcome NDJSON), distinct, at most 20.
    /// </summary>
    private static List<string> ServerErrors(string folder, IEnumerable<ExportFileState> errorFiles)
    {
        var messages = new List<string>();
        foreach (var file in errorFiles)
        foreach (var line in File.ReadLines(Path.Combine(folder, file.Path)).Where(l => l.Length > 0))
        {
            try
            {
                using var outcome = JsonDocument.Parse(line);
                if (!outcome.RootElement.TryGetProperty("issue", out var issues))
                    continue;
                foreach (var issue in issues.EnumerateArray())
                {
                    var severity = issue.TryGetProperty("severity", out var s) ? s.GetString() : null;
                    if (severity is "error" or "fatal" && issue.TryGetProperty("diagnostics", out var d))
                        messages.Add(d.GetString() ?? "");
                }
            }
            catch (JsonException)
            {
                messages.Add($"{file.Path}: a line that is not JSON");
            }
        }
        return messages.Where(m => m.Length > 0).Distinct(StringComparer.Ordinal).Take(20).ToList();
    }
}
