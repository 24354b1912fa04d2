using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Clinical.Api.Features.Cohorts.BulkExport;

/// <summary>
/// The HTTP exchanges of one export. Every URL passes the <see cref="ExportUrlPolicy"/> first (redirects too, each
/// hop, with the token dropped when a hop leaves the origin it was sent to). The access token is attached when
/// asked for and renewed once on a 401. Transient failures (408, 429, 5xx unless an OperationOutcome says the error
/// is not transient, network errors, time-outs) are retried up to MaxAttempts, waiting as Retry-After says or with
/// exponential backoff and full jitter (1 s doubling to 60 s; AWS Architecture Blog, "Exponential Backoff And
/// Jitter", 2015). Waits go through the TimeProvider; time-outs are real time.
/// </summary>
public sealed class ExportHttp(
    HttpClient client,
    BulkExportOptions options,
    TimeProvider clock,
    ExportUrlPolicy policy,
    BackendServicesToken tokens,
    Action<ExportProgress> report
)
{
    private const int MaxRedirects = 5;
    private static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Issue codes of the FHIR IssueType "transient" branch: the Bulk Data IG asks servers to use them for a
    /// status error the client should retry (https://hl7.org/fhir/uv/bulkdata/export.html#response---error-status-1).
    /// </summary>
    private static readonly HashSet<string> TransientIssueCodes = new(StringComparer.Ordinal)
    {
        "transient",
        "lock-error",
        "no-store",
        "exception",
        "timeout",
        "incomplete",
        "throttled",
    };

    public ExportUrlPolicy Policy => policy;

    public BulkExportOptions Options => options;

    public TimeProvider Clock => clock;

    /// <summary>
    /// Sends until a response that is not transient arrives (returned, whatever its status) or the attempts are spent
    /// (a <see cref="BulkExportException"/>). <paramref name="configure"/> runs for every attempt, so a request body
    /// such as a client assertion is fresh each time.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        Uri url,
        string what,
        CancellationToken cancellationToken,
        Action<HttpRequestMessage>? configure = null,
        bool withToken = true,
        bool followRedirects = false,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead
    )
    {
        policy.Check(url, what);
        string? rejected = null;
        for (var attempt = 1; ; attempt++)
        {
            var target = url;
            var token = withToken ? await tokens.GetAsync(this, rejected, cancellationToken) : null;
            HttpResponseMessage? response = null;
            string failure;
            try
            {
                for (var hop = 0; ; hop++)
                {
                    response = await SendOnceAsync(method, target, token, configure, completion, cancellationToken);
                    if (!followRedirects || !IsRedirect(response.StatusCode) || response.Headers.Location is null)
                        break;
                    if (hop == MaxRedirects)
                    {
                        response.Dispose();
                        throw new BulkExportException($"{what} {url} redirected more than {MaxRedirects} times.");
                    }
                    var location = new Uri(target, response.Headers.Location);
                    response.Dispose();
                    var next = policy.Check(location, $"a redirect of {what}");
                    if (!Hosting.OutboundUrls.SameOrigin(next, target))
                        token = null; // as browsers do: credentials stay with the origin they were meant for
                    target = next;
                }
                if (response.StatusCode == HttpStatusCode.Unauthorized && token is not null && rejected is null)
                {
                    rejected = token;
                    response.Dispose();
                    attempt--;
                    continue;
                }
                var transient = await TransientReasonAsync(response, cancellationToken);
                if (transient is null)
                    return response;
                failure = transient;
            }
            catch (Exception e) when (IsNetworkFailure(e, cancellationToken))
            {
                response?.Dispose();
                response = null;
                failure = e is OperationCanceledException ? "no answer in time" : $"network error ({e.GetType().Name})";
            }
            var retryAfter = response is null ? null : RetryAfter(response);
            response?.Dispose();
            if (attempt >= options.MaxAttempts)
                throw new BulkExportException(
                    $"{what} {target} failed {attempt} times; the last time: {failure}. "
                        + "The EHR may be down or overloaded; rerun later to resume."
                );
            var wait = retryAfter ?? Backoff(attempt);
            report(new ExportProgress(ExportPhase.Retrying, $"{what}: {failure}; retrying in {Seconds(wait)}."));
            await Task.Delay(wait, clock, cancellationToken);
        }
    }

    /// <summary>
    /// The server's Retry-After (seconds or an HTTP date), capped at MaxPollSeconds; null when absent.
    /// </summary>
    public TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - clock.GetUtcNow() : null);
        if (wait is null)
            return null;
        var cap = TimeSpan.FromSeconds(options.MaxPollSeconds);
        return wait < TimeSpan.Zero ? TimeSpan.Zero
            : wait > cap ? cap
            : wait;
    }

    /// <summary>Full jitter: a random wait between 0 and min(cap, base × 2^(attempt−1)).</summary>
    public static TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(BackoffCap.TotalMilliseconds, BackoffBase.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    public static string Seconds(TimeSpan wait) =>
        wait.TotalSeconds < 10
            ? $"{wait.TotalSeconds:0.#} s"
            : $"{Math.Round(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)} s";

    /// <summary>The problem a failed response reports: its OperationOutcome's diagnostics, or its status.</summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = $"HTTP {(int)response.StatusCode}";
        var issues = await IssuesAsync(response, cancellationToken);
        var text = string.Join(
            "; ",
            issues.Select(i => i.Diagnostics ?? i.Code).Where(t => !string.IsNullOrWhiteSpace(t)).Take(3)
        );
        if (text.Length == 0)
            return status;
        return text.Length > 300 ? $"{status}: {text[..300]}…" : $"{status}: {text}";
    }

    private async Task<HttpResponseMessage> SendOnceAsync(
        HttpMethod method,
        Uri url,
        string? token,
        Action<HttpRequestMessage>? configure,
        HttpCompletionOption completion,
        CancellationToken cancellationToken
    )
    {
        using var request = new HttpRequestMessage(method, url);
        configure?.Invoke(request);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // Real time, not the TimeProvider: this guards against a server that never answers.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.RequestTimeoutSeconds));
        return await client.SendAsync(request, completion, timeout.Token);
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status
            is HttpStatusCode.MovedPermanently
                or HttpStatusCode.Found
                or HttpStatusCode.SeeOther
                or HttpStatusCode.TemporaryRedirect
                or HttpStatusCode.PermanentRedirect;

    private static bool IsNetworkFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static async Task<string?> TransientReasonAsync(
        HttpResponseMessage response,
        CancellationToken cancellationToken
    )
    {
        var status = (int)response.StatusCode;
        if (status is 408 or 429)
            return $"HTTP {status}";
        if (status < 500)
            return null;
        var issues = await IssuesAsync(response, cancellationToken);
        return issues.Count > 0 && issues.All(i => !TransientIssueCodes.Contains(i.Code)) ? null : $"HTTP {status}";
    }

    private static async Task<IReadOnlyList<(string Code, string? Diagnostics)>> IssuesAsync(
        HttpResponseMessage response,
        CancellationToken cancellationToken
    )
    {
        try
        {
            await response.Content.LoadIntoBufferAsync(64 * 1024, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var outcome = JsonDocument.Parse(body);
            if (
                outcome.RootElement.ValueKind != JsonValueKind.Object
                || !outcome.RootElement.TryGetProperty("issue", out var issues)
                || issues.ValueKind != JsonValueKind.Array
            )
                return [];
            return issues
                .EnumerateArray()
                .Select(i =>
                    (
                        i.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "",
                        i.TryGetProperty("diagnostics", out var d) ? d.GetString()
                        : i.TryGetProperty("details", out var details) && details.TryGetProperty("text", out var t)
                            ? t.GetString()
                        : null
                    )
                )
                .ToList();
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or InvalidOperationException)
        {
            return [];
        }
    }
}
