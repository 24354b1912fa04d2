using System.Net;
using System.Net.Http.Headers;

namespace Clinical.Api.Features.Cohorts.BulkExport;

/// <summary>
/// Downloads the manifest's files into the export folder, a few at a time, each streamed to `Path.part` (memory
/// bounded by one buffer per download) and renamed to its final name once whole, so the job's reader never sees half
/// a file. A download that breaks off resumes from the bytes on disk with an HTTP Range request (RFC 9110 §14), with
/// If-Range so a file that changed on the server is fetched anew; the answer is checked: 206 must start where asked
/// (Content-Range), 200 means the server ignored the range and the file is restarted, and the final length must match
/// Content-Length or the Content-Range total. Failures without progress are retried with backoff up to MaxAttempts;
/// a file that still fails is left for a rerun, and the others go on.
/// </summary>
public sealed class ExportDownloads(ExportHttp http, ExportState state, string folder, ExportLog log)
{
    private const int BufferBytes = 64 * 1024;

    /// <summary>Downloads every file not yet done; returns the failures (file, reason).</summary>
    public async Task<IReadOnlyList<(ExportFileState File, string Reason)>> DownloadAllAsync(
        Action<ExportProgress> report,
        CancellationToken cancellationToken
    )
    {
        var failures = new List<(ExportFileState, string)>();
        var total = state.Files.Count;
        await Parallel.ForEachAsync(
            state.Files.Where(f => !f.Done).ToList(),
            new ParallelOptions
            {
                MaxDegreeOfParallelism = Math.Max(1, http.Options.ParallelDownloads),
                CancellationToken = cancellationToken,
            },
            async (file, ct) =>
            {
                try
                {
                    await DownloadAsync(file, report, ct);
                    int done;
                    lock (failures)
                        done = state.Files.Count(f => f.Done);
                    report(
                        new ExportProgress(
                            ExportPhase.Downloaded,
                            $"Downloaded {file.Path} ({file.Lines:N0} resources, {file.Bytes:N0} bytes).",
                            done,
                            total
                        )
                    );
                }
                catch (BulkExportException e)
                {
                    log.DownloadError(file, null, e.Message);
                    lock (failures)
                        failures.Add((file, e.Message));
                }
            }
        );
        return failures;
    }

    private async Task DownloadAsync(ExportFileState file, Action<ExportProgress> report, CancellationToken ct)
    {
        var final = Path.Combine(folder, file.Path);
        var part = final + ".part";
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        var url = new Uri(file.Url);
        for (var failuresWithoutProgress = 0; ; )
        {
            var offset = File.Exists(part) ? new FileInfo(part).Length : 0;
            log.DownloadRequest(file);
            var (outcome, appended) = await AttemptAsync(file, url, part, offset, ct);
            if (outcome is null)
            {
                await using (var written = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read))
                    file.Lines = await CountLinesAsync(written, ct);
                file.Bytes = new FileInfo(part).Length;
                File.Move(part, final, overwrite: true);
                file.Done = true;
                state.Save(folder);
                log.DownloadComplete(file);
                return;
            }
            failuresWithoutProgress = appended > 0 ? 1 : failuresWithoutProgress + 1;
            log.DownloadError(file, null, outcome);
            if (failuresWithoutProgress >= http.Options.MaxAttempts)
                throw new BulkExportException(
                    $"{file.Path}: {outcome}; gave up after {failuresWithoutProgress} attempts without progress."
                );
            var wait = ExportHttp.Backoff(failuresWithoutProgress);
            report(
                new ExportProgress(
                    ExportPhase.Retrying,
                    $"{file.Path}: {outcome} after {offset + appended:N0} bytes; "
                        + $"resuming in {ExportHttp.Seconds(wait)}."
                )
            );
            await Task.Delay(wait, http.Clock, ct);
        }
    }

    /// <summary>
    /// One request for the rest of the file. Returns (null, bytes) when the file is whole, or (why it is not, bytes
    /// appended this time) for a retry; throws <see cref="BulkExportException"/> when retrying cannot help.
    /// </summary>
    private async Task<(string? Problem, long Appended)> AttemptAsync(
        ExportFileState file,
        Uri url,
        string part,
        long offset,
        CancellationToken ct
    )
    {
        using var response = await http.SendAsync(
            HttpMethod.Get,
            url,
            $"the file {file.Path}",
            ct,
            request =>
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+ndjson"));
                // Ranges count the bytes as stored; a compressed transfer would make offsets meaningless.
                request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
                if (offset > 0)
                {
                    request.Headers.Range = new RangeHeaderValue(offset, null);
                    if (file.Validator is { } validator)
                        request.Headers.TryAddWithoutValidation("If-Range", validator);
                }
            },
            withToken: state.RequiresAccessToken,
            followRedirects: true,
            completion: HttpCompletionOption.ResponseHeadersRead
        );
        long? expectedTotal;
        var mode = FileMode.Append;
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                // A whole file: the server ignored the range, or the file changed (If-Range); start again.
                mode = FileMode.Create;
                expectedTotal = response.Content.Headers.ContentLength;
                RememberValidator(file, response);
                break;
            case HttpStatusCode.PartialContent
                when response.Content.Headers.ContentRange is { From: { } from, HasLength: var hasLength } range
                    && from == offset:
                expectedTotal = hasLength ? range.Length : null;
                break;
            case HttpStatusCode.PartialContent:
                File.Delete(part);
                return ("the server answered another range than the one asked for; restarting the file", 0);
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                if (response.Content.Headers.ContentRange is { Length: { } length } && length == offset)
                    return (null, 0);
                File.Delete(part);
                return ("the bytes on disk do not fit the file on the server; restarting the file", 0);
            default:
                var problem = await ExportHttp.DescribeAsync(response, ct);
                throw new BulkExportException(
                    $"{file.Path}: the EHR answered {problem}"
                        + (
                            response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone
                                ? " (the export's files may have expired: start a new export in a new folder)."
                                : "."
                        )
                );
        }
        if (response.Content.Headers.ContentEncoding.Count > 0)
            throw new BulkExportException(
                $"{file.Path}: the server sent it {string.Join(',', response.Content.Headers.ContentEncoding)}-encoded "
                    + "although only identity was accepted."
            );
        if (mode == FileMode.Create)
            offset = 0;
        var appended = 0L;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await using var output = new FileStream(part, mode, FileAccess.Write, FileShare.None, BufferBytes);
            var buffer = new byte[BufferBytes];
            while (true)
            {
                // A stalled connection is abandoned after IdleSeconds without a byte, in real time.
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                idle.CancelAfter(TimeSpan.FromSeconds(http.Options.IdleSeconds));
                var read = await body.ReadAsync(buffer, idle.Token);
                if (read == 0)
                    break;
                await output.WriteAsync(buffer.AsMemory(0, read), ct);
                appended += read;
            }
            await output.FlushAsync(ct);
            output.Flush(flushToDisk: true);
        }
        catch (Exception e)
            when (e is IOException or HttpRequestException
                || (e is OperationCanceledException && !ct.IsCancellationRequested)
            )
        {
            return (e is OperationCanceledException ? "no data for too long" : "the transfer broke off", appended);
        }
        var size = offset + appended;
        if (expectedTotal is { } expected && size != expected)
            return ($"{size:N0} of {expected:N0} bytes arrived", appended);
        return (null, appended);
    }

    /// <summary>
    /// If-Range takes a strong ETag or a Last-Modified date (RFC 9110 §13.1.5); a weak ETag cannot serve.
    /// </summary>
    private void RememberValidator(ExportFileState file, HttpResponseMessage response)
    {
        file.Validator =
            response.Headers.ETag is { IsWeak: false } etag ? etag.ToString()
            : response.Content.Headers.LastModified is { } modified ? modified.ToString("R")
            : null;
        state.Save(folder);
    }

    private static async Task<long> CountLinesAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[BufferBytes];
        long lines = 0;
        var last = (byte)'\n';
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            last = buffer[read - 1];
        }
        return last == (byte)'\n' ? lines : lines + 1;
    }
}
