using System.Net;
using System.Net.Http.Headers;

namespace Clinical.Api.Features.Cohorts.BulkExport;

/// <summary>Which $export: the whole system, every patient, or one Group's patients.</summary>
public enum ExportLevel
{
    System,
    Patient,
    Group,
}

/// <summary>
/// Kick-off and status polling of a Bulk Data export (https://hl7.org/fhir/uv/bulkdata/export.html): the kick-off
/// asks with `Accept: application/fhir+json` and `Prefer: respond-async` and expects 202 with Content-Location (the
/// status URL); polling the status URL answers 202 with X-Progress and Retry-After while the EHR works (the client
/// waits as asked, capped, with exponential backoff when the server does not say), then 200 with the manifest; 4xx or
/// a non-transient 5xx means the export failed. DELETE on the status URL cancels the export, or releases its files
/// once downloaded.
/// </summary>
public sealed class ExportKickOff(ExportHttp http, ExportLog log, Action<ExportProgress> report)
{
    /// <summary>
    /// The kick-off URL: `[Patient/|Group/{id}/]$export?_outputFormat=…&amp;_type=…[&amp;_since=…]`.
    /// </summary>
    public static Uri Url(Uri fhirBase, ExportLevel level, string? groupId, IEnumerable<string> types, string? since)
    {
        var root = new Uri(fhirBase.AbsoluteUri.TrimEnd('/') + "/");
        var path = level switch
        {
            ExportLevel.System => "$export",
            ExportLevel.Patient => "Patient/$export",
            _ => $"Group/{Uri.EscapeDataString(groupId ?? "")}/$export",
        };
        var query =
            $"?_outputFormat={Uri.EscapeDataString("application/fhir+ndjson")}"
            + $"&_type={string.Join(',', types.Select(Uri.EscapeDataString))}"
            + (since is null ? "" : $"&_since={Uri.EscapeDataString(since)}");
        return new Uri(root, path + query);
    }

    /// <summary>Starts the export; returns its status URL.</summary>
    public async Task<Uri> StartAsync(Uri kickOffUrl, bool hasClient, CancellationToken cancellationToken)
    {
        report(new ExportProgress(ExportPhase.KickOff, $"Requesting the export: {kickOffUrl}"));
        using var response = await http.SendAsync(
            HttpMethod.Get,
            kickOffUrl,
            "the export kick-off",
            cancellationToken,
            request =>
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
                request.Headers.Add("Prefer", "respond-async");
            }
        );
        var parameters = Parameters(kickOffUrl);
        if (response.StatusCode == HttpStatusCode.Accepted && response.Content.Headers.ContentLocation is { } location)
        {
            var statusUrl = http.Policy.Check(new Uri(kickOffUrl, location), "the status URL");
            log.ExportId = statusUrl.AbsoluteUri;
            log.KickOff(kickOffUrl, parameters, null, null);
            return statusUrl;
        }
        var problem =
            response.StatusCode == HttpStatusCode.Accepted
                ? "HTTP 202 without a Content-Location header"
                : await ExportHttp.DescribeAsync(response, cancellationToken);
        log.KickOff(kickOffUrl, parameters, (int)response.StatusCode, problem);
        throw new BulkExportException(
            $"The EHR did not start the export ({problem})."
                + (
                    response.StatusCode == HttpStatusCode.Unauthorized && !hasClient
                        ? " It needs a token: set Clinical:BulkExport:ClientId, PrivateKeyFile and KeyId."
                        : ""
                )
        );
    }

    /// <summary>Polls until the manifest (all its pages) is ready.</summary>
    public async Task<ExportManifest> WaitAsync(Uri statusUrl, CancellationToken cancellationToken)
    {
        var options = http.Options;
        var deadline = http.Clock.GetUtcNow() + TimeSpan.FromHours(options.MaxWaitHours);
        var interval = TimeSpan.FromSeconds(1);
        while (true)
        {
            using var response = await http.SendAsync(
                HttpMethod.Get,
                statusUrl,
                "the export status",
                cancellationToken,
                Json
            );
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return await ManifestAsync(response, statusUrl, cancellationToken);
                case HttpStatusCode.Accepted:
                    var progress = response.Headers.TryGetValues("X-Progress", out var values)
                        ? string.Join(' ', values)
                        : null;
                    var retryAfter = http.RetryAfter(response);
                    log.StatusProgress(progress, retryAfter);
                    // As asked; when the server does not say, exponential backoff, as the IG asks of clients.
                    var wait = retryAfter ?? interval;
                    if (retryAfter is null)
                        interval = TimeSpan.FromSeconds(Math.Min(interval.TotalSeconds * 2, options.MaxPollSeconds));
                    if (http.Clock.GetUtcNow() + wait > deadline)
                        throw new BulkExportException(
                            $"The export is still in progress after {options.MaxWaitHours} h "
                                + "(Clinical:BulkExport:MaxWaitHours); rerun the same command to keep waiting for it."
                        );
                    report(
                        new ExportProgress(
                            ExportPhase.Waiting,
                            $"EHR working{(progress is null ? "" : $": {progress}")}; next check in "
                                + $"{ExportHttp.Seconds(wait)}."
                        )
                    );
                    await Task.Delay(wait, http.Clock, cancellationToken);
                    break;
                case HttpStatusCode.NotFound or HttpStatusCode.Gone:
                    log.StatusError((int)response.StatusCode, "the export is unknown to the EHR or has expired");
                    throw new ExportGoneException(statusUrl);
                default:
                    var problem = await ExportHttp.DescribeAsync(response, cancellationToken);
                    log.StatusError((int)response.StatusCode, problem);
                    throw new BulkExportException($"The export failed on the EHR ({problem}).");
            }
        }
    }

    /// <summary>
    /// DELETE on the status URL, best effort with its own time limit (the caller's token may be the one just
    /// cancelled): cancels an export in progress, or lets the EHR release the files of one already downloaded.
    /// </summary>
    public async Task<bool> DeleteAsync(Uri statusUrl)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(http.Options.RequestTimeoutSeconds));
        try
        {
            using var response = await http.SendAsync(HttpMethod.Delete, statusUrl, "the export DELETE", limit.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is BulkExportException or OperationCanceledException or HttpRequestException)
        {
            return false;
        }
    }

    private async Task<ExportManifest> ManifestAsync(
        HttpResponseMessage response,
        Uri statusUrl,
        CancellationToken cancellationToken
    )
    {
        var (manifest, next) = ExportManifest.Parse(
            await response.Content.ReadAsStringAsync(cancellationToken),
            statusUrl
        );
        var pages = 1;
        for (; next is not null; pages++)
        {
            using var page = await http.SendAsync(HttpMethod.Get, next, "a manifest page", cancellationToken, Json);
            if (page.StatusCode != HttpStatusCode.OK)
                throw new BulkExportException(
                    $"The manifest page {next} answered {await ExportHttp.DescribeAsync(page, cancellationToken)}."
                );
            (var more, next) = ExportManifest.Parse(await page.Content.ReadAsStringAsync(cancellationToken), next);
            manifest = manifest.Append(more);
        }
        log.StatusComplete(manifest, pages);
        return manifest;
    }

    private static void Json(HttpRequestMessage request) =>
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

    private static Dictionary<string, string> Parameters(Uri url) =>
        url
            .Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");
}

/// <summary>The status URL answers 404 or 410: the EHR no longer knows the export (expired, or deleted).</summary>
public sealed class ExportGoneException(Uri statusUrl)
    : BulkExportException($"The EHR no longer has the export at {statusUrl} (expired or deleted).");
