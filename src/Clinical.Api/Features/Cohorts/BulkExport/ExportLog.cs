using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clinical.Api.Features.Cohorts.BulkExport;

/// <summary>
/// The standard Bulk Data client log, log.ndjson in the export folder: one JSON object per event with `exportId`
/// (the status URL), `timestamp`, `eventId` and `eventDetail`, the events and fields that SMART's bulk-data-client
/// and Cumulus ETL / smart-fetch write (kickoff, status_progress, status_complete, status_page_complete,
/// manifest_complete, status_error, download_request, download_complete, download_error, export_complete), so the
/// tools a data team already has can read it. The job's reader skips the file. Each event is appended and flushed at
/// once, so a kill loses at most the event being written. Request headers, and so tokens, are never logged.
/// </summary>
public sealed class ExportLog(string folder, TimeProvider clock)
{
    public const string FileName = "log.ndjson";

    private readonly Lock _write = new();
    private DateTimeOffset? _start;

    public string ExportId { get; set; } = Guid.NewGuid().ToString();

    public void KickOff(Uri url, IReadOnlyDictionary<string, string> parameters, int? errorCode, string? errorBody) =>
        Event(
            "kickoff",
            new JsonObject
            {
                ["exportUrl"] = url.AbsoluteUri,
                ["softwareName"] = null,
                ["softwareVersion"] = null,
                ["softwareReleaseDate"] = null,
                ["fhirVersion"] = "4.0.1",
                ["requestParameters"] = new JsonObject(
                    parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))
                ),
                ["errorCode"] = errorCode,
                ["errorBody"] = errorBody,
            }
        );

    public void StatusProgress(string? xProgress, TimeSpan? retryAfter) =>
        Event(
            "status_progress",
            new JsonObject
            {
                ["body"] = null,
                ["xProgress"] = xProgress,
                ["retryAfter"] = retryAfter is { } wait ? ((int)wait.TotalSeconds).ToString(Invariant) : null,
            }
        );

    public void StatusComplete(ExportManifest manifest, int pages)
    {
        Event("status_complete", new JsonObject { ["transactionTime"] = manifest.TransactionTime });
        Event(
            "status_page_complete",
            new JsonObject
            {
                ["transactionTime"] = manifest.TransactionTime,
                ["outputFileCount"] = manifest.Output.Count,
                ["deletedFileCount"] = manifest.Deleted.Count,
                ["errorFileCount"] = manifest.Error.Count,
            }
        );
        Event(
            "manifest_complete",
            new JsonObject
            {
                ["transactionTime"] = manifest.TransactionTime,
                ["totalOutputFileCount"] = manifest.Output.Count,
                ["totalDeletedFileCount"] = manifest.Deleted.Count,
                ["totalErrorFileCount"] = manifest.Error.Count,
                ["totalManifests"] = pages,
            }
        );
    }

    public void StatusError(int? code, string message) =>
        Event(
            "status_error",
            new JsonObject
            {
                ["body"] = null,
                ["code"] = code,
                ["message"] = message,
                ["responseHeaders"] = null,
            }
        );

    public void DownloadRequest(ExportFileState file) =>
        Event(
            "download_request",
            new JsonObject
            {
                ["fileUrl"] = file.Url,
                ["itemType"] = file.Kind,
                ["resourceType"] = file.Type,
            }
        );

    public void DownloadComplete(ExportFileState file) =>
        Event(
            "download_complete",
            new JsonObject
            {
                ["fileUrl"] = file.Url,
                ["resourceCount"] = file.Lines,
                ["fileSize"] = file.Bytes,
            }
        );

    public void DownloadError(ExportFileState file, int? code, string message) =>
        Event(
            "download_error",
            new JsonObject
            {
                ["fileUrl"] = file.Url,
                ["body"] = null,
                ["code"] = code,
                ["message"] = message,
                ["responseHeaders"] = null,
            }
        );

    public void ExportComplete(IReadOnlyList<ExportFileState> files) =>
        Event(
            "export_complete",
            new JsonObject
            {
                ["files"] = files.Count,
                ["resources"] = files.Sum(f => f.Lines ?? 0),
                ["bytes"] = files.Sum(f => f.Bytes),
                ["attachments"] = null,
                ["duration"] = _start is { } start ? (long)(clock.GetUtcNow() - start).TotalMilliseconds : 0,
            }
        );

    private static readonly System.Globalization.CultureInfo Invariant = System
        .Globalization
        .CultureInfo
        .InvariantCulture;

    private void Event(string eventId, JsonObject detail)
    {
        var now = clock.GetUtcNow();
        lock (_write)
        {
            _start ??= now;
            var row = new JsonObject
            {
                ["exportId"] = ExportId,
                ["timestamp"] = now.ToString("O", Invariant),
                ["eventId"] = eventId,
                ["eventDetail"] = detail,
            };
            if (eventId == "kickoff")
            {
                // The logging format lets clients add their own keys; a leading underscore keeps them apart.
                row["_client"] = "clinical-hf-screening";
                row["_clientVersion"] = typeof(ExportLog).Assembly.GetName().Version?.ToString(3);
            }
            File.AppendAllText(Path.Combine(folder, FileName), row.ToJsonString() + "\n");
        }
    }
}
