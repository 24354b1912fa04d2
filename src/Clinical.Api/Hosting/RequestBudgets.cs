using System.Globalization;
using System.Threading.RateLimiting;
using Clinical.Api.Errors;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Microsoft.AspNetCore.Http.Timeouts;

namespace Clinical.Api.Hosting;

/// <summary>
/// Settings under "Clinical:Limits": how much one request may ask of the service. The screening cost grows with the
/// notes the classifier reads, so notes and their characters are budgeted as well as bytes and entries; a time budget
/// stops whatever slipped through, and a client that goes away stops its work (RequestAborted reaches the screener and
/// the note classifier).
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Clinical:Limits";

    /// <summary>Bundle entries per input (Bulk Data NDJSON has no such limit: it is streamed per patient).</summary>
    public int MaxEntries { get; set; } = 50_000;

    /// <summary>Notes (DocumentReference, DiagnosticReport, Composition texts) screened in one request.</summary>
    public int MaxNotes { get; set; } = 200;

    /// <summary>Characters of note text screened in one request, all notes together.</summary>
    public int MaxNoteCharacters { get; set; } = 500_000;

    /// <summary>Wall-clock budget of one HTTP request; past it the work is cancelled and the answer is 503.</summary>
    public double RequestSeconds { get; set; } = 30;

    /// <summary>A request body at least this large (or of unknown length) is a large body.</summary>
    public long LargeBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Large bodies processed at once; as many more wait, the rest are answered 503 (Retry-After).</summary>
    public int MaxConcurrentLargeBodies { get; set; } = 2;

    /// <summary>Longest request target (path and query); longer is 414.</summary>
    public int MaxUrlCharacters { get; set; } = 8 * 1024;

    /// <summary>Largest total size of the request headers; larger is 431.</summary>
    public int MaxHeaderBytes { get; set; } = 32 * 1024;

    public static LimitsOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<LimitsOptions>() ?? new LimitsOptions();

    /// <summary>
    /// Kestrel's own limits, above ours: requests between the two are answered by <see cref="RequestBudgets"/> with an
    /// OperationOutcome; only beyond Kestrel's does the connection get Kestrel's bare 414/431.
    /// </summary>
    public int KestrelRequestLineBytes => MaxUrlCharacters * 4;

    public int KestrelHeaderBytes => MaxHeaderBytes * 4;
}

/// <summary>
/// Enforces <see cref="LimitsOptions"/>: URL and header sizes (414, 431), the number of large bodies in flight (503),
/// the time budget (503), and the note budget of a screening (413). Each refusal is an OperationOutcome that names the
/// limit and its configuration key.
/// </summary>
public static class RequestBudgets
{
    public const string LargeBodyGate = "large-bodies";

    public static IServiceCollection AddRequestBudgets(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = LimitsOptions.From(configuration);
        services.AddKeyedSingleton(
            LargeBodyGate,
            new ConcurrencyLimiter(
                new ConcurrencyLimiterOptions
                {
                    PermitLimit = Math.Max(1, limits.MaxConcurrentLargeBodies),
                    QueueLimit = Math.Max(1, limits.MaxConcurrentLargeBodies),
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }
            )
        );
        services.AddRequestTimeouts(timeouts =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = TimeSpan.FromSeconds(limits.RequestSeconds),
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
                WriteTimeoutResponse = http =>
                {
                    http.Response.Headers.RetryAfter = "30";
                    return OperationOutcomeExceptionHandler.WriteAsync(
                        http,
                        StatusCodes.Status503ServiceUnavailable,
                        [
                            Refusal(
                                "timeout",
                                "The request ran out of its time budget (seconds) and was stopped",
                                "RequestSeconds",
                                limits.RequestSeconds
                            ),
                        ]
                    );
                },
            }
        );
        return services;
    }

    /// <summary>Before authentication: the request line and headers, which Kestrel has already read.</summary>
    public static void UseRequestSizeLimits(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<LimitsOptions>();
        app.Use(
            async (http, next) =>
            {
                var request = http.Request;
                var target =
                    (request.PathBase.Value?.Length ?? 0)
                    + (request.Path.Value?.Length ?? 0)
                    + (request.QueryString.Value?.Length ?? 0);
                if (target > limits.MaxUrlCharacters)
                {
                    await OperationOutcomeExceptionHandler.WriteAsync(
                        http,
                        StatusCodes.Status414UriTooLong,
                        [
                            Refusal(
                                "too-long",
                                $"The URL has {target:N0} characters",
                                "MaxUrlCharacters",
                                limits.MaxUrlCharacters
                            ),
                        ]
                    );
                    return;
                }
                var headerBytes = request.Headers.Sum(h => h.Key.Length + 4 + h.Value.Sum(v => v?.Length ?? 0));
                if (headerBytes > limits.MaxHeaderBytes)
                {
                    await OperationOutcomeExceptionHandler.WriteAsync(
                        http,
                        StatusCodes.Status431RequestHeaderFieldsTooLarge,
                        [
                            Refusal(
                                "too-long",
                                $"The request headers hold {headerBytes:N0} bytes",
                                "MaxHeaderBytes",
                                limits.MaxHeaderBytes
                            ),
                        ]
                    );
                    return;
                }
                await next(http);
            }
        );
    }

    /// <summary>
    /// After authorisation, before the endpoint: a large body waits for one of the permits, or is refused with 503 when
    /// the queue is full too. Parsing costs memory in proportion to the body (a 20 MB Bundle is ~150 MB of objects), so
    /// this bounds the memory of concurrent large requests. Once the last large body is done, the memory they used is
    /// handed back to the operating system.
    /// </summary>
    public static void UseLargeBodyGate(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<LimitsOptions>();
        var gate = app.Services.GetRequiredKeyedService<ConcurrencyLimiter>(LargeBodyGate);
        var inFlight = 0;
        app.Use(
            async (http, next) =>
            {
                var length = http.Request.ContentLength;
                var hasBody = length > 0 || http.Request.Headers.TransferEncoding.Count > 0;
                if (!hasBody || length < limits.LargeBodyBytes)
                {
                    await next(http);
                    return;
                }
                using var lease = await gate.AcquireAsync(1, http.RequestAborted);
                if (!lease.IsAcquired)
                {
                    http.Response.Headers.RetryAfter = "5";
                    await OperationOutcomeExceptionHandler.WriteAsync(
                        http,
                        StatusCodes.Status503ServiceUnavailable,
                        [
                            Refusal(
                                "throttled",
                                $"Large requests (from {limits.LargeBodyBytes:N0} bytes) are already being processed "
                                    + "at the limit and others wait; retry later",
                                "MaxConcurrentLargeBodies",
                                limits.MaxConcurrentLargeBodies
                            ),
                        ]
                    );
                    return;
                }
                Interlocked.Increment(ref inFlight);
                try
                {
                    await next(http);
                }
                finally
                {
                    if (Interlocked.Decrement(ref inFlight) == 0)
                        ReleaseMemory();
                }
            }
        );
    }

    /// <summary>
    /// The note budget of one screening: the classifier's cost grows with the notes and their length, so a request
    /// over either budget is refused (413) before any note is scored.
    /// </summary>
    public static void CheckNotes(IReadOnlyList<PatientRecord> patients, LimitsOptions limits, string source)
    {
        if (OverNoteBudget(patients, limits, source) is { } refusal)
            throw new FhirInputException([refusal]);
    }

    /// <summary>
    /// Why the notes of these patients are over the note budget of one screening (too many, or too long all
    /// together), or null when they fit. A request over it is refused whole (<see cref="CheckNotes"/>); jobs that
    /// screen many patients keep each patient's notes that fit (<see cref="FitNotes"/>).
    /// </summary>
    public static InputIssue? OverNoteBudget(IReadOnlyList<PatientRecord> patients, LimitsOptions limits, string source)
    {
        ArgumentNullException.ThrowIfNull(patients);
        ArgumentNullException.ThrowIfNull(limits);
        var notes = patients.Sum(p => p.Notes.Count);
        if (notes > limits.MaxNotes)
            return Refusal("too-costly", $"The input holds {notes:N0} notes", "MaxNotes", limits.MaxNotes, source);
        var characters = patients.Sum(p => p.Notes.Sum(n => (long)n.Text.Length));
        if (characters > limits.MaxNoteCharacters)
            return Refusal(
                "too-costly",
                $"The notes of the input hold {characters:N0} characters",
                "MaxNoteCharacters",
                limits.MaxNoteCharacters,
                source
            );
        return null;
    }

    /// <summary>
    /// One patient's record with only the notes that fit the note budget of one screening, for the jobs that screen
    /// many patients (cohort runs, a Bulk export): a patient with many notes may be the one at risk, and their labs
    /// (NT-proBNP, LVEF: the guideline floor) must never be lost with their notes, so the patient is screened on all
    /// their structured data and on the newest notes that fit. Newest by note date, notes without a date last; a
    /// note too long for the characters left is passed over for older ones that fit. The notes kept stay in the
    /// record's order. When notes are left out, a warning says how many, their characters, and which setting.
    /// </summary>
    public static NoteBudgetFit FitNotes(PatientRecord record, LimitsOptions limits, string source)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(limits);
        if (OverNoteBudget([record], limits, source) is null)
            return new NoteBudgetFit(record, 0, 0, null);
        var kept = new HashSet<ClinicalNote>(ReferenceEqualityComparer.Instance);
        long characters = 0;
        foreach (var note in record.Notes.OrderByDescending(n => n.When.HasValue).ThenByDescending(n => n.When))
        {
            if (kept.Count >= limits.MaxNotes)
                break;
            if (characters + note.Text.Length > limits.MaxNoteCharacters)
                continue;
            kept.Add(note);
            characters += note.Text.Length;
        }
        var notes = record.Notes.Where(kept.Contains).ToList();
        var leftOut = record.Notes.Count - notes.Count;
        var leftOutCharacters = record.Notes.Sum(n => (long)n.Text.Length) - characters;
        var settings = new List<string>(2);
        if (record.Notes.Count > limits.MaxNotes)
            settings.Add(Setting("MaxNotes", limits.MaxNotes));
        if (characters + leftOutCharacters > limits.MaxNoteCharacters)
            settings.Add(Setting("MaxNoteCharacters", limits.MaxNoteCharacters));
        var warning = new InputIssue(
            IssueSeverity.Warning,
            "too-costly",
            string.Create(
                CultureInfo.InvariantCulture,
                $"{leftOut:N0} of {record.Notes.Count:N0} notes ({leftOutCharacters:N0} characters) were not scored: "
                    + $"over the note budget of one screening ({string.Join("; ", settings)}). The patient was "
                    + $"screened on all other data and the {notes.Count:N0} newest notes that fit."
            ),
            Source: source
        );
        return new NoteBudgetFit(record with { Notes = notes }, leftOut, leftOutCharacters, warning);
    }

    private static string Setting(string key, int value) =>
        string.Create(CultureInfo.InvariantCulture, $"{LimitsOptions.Section}:{key} = {value:N0}");

    private static InputIssue Refusal(string code, string what, string key, double limit, string? source = null) =>
        new(
            IssueSeverity.Error,
            code,
            $"{what}; the limit is {limit.ToString("#,0.###", CultureInfo.InvariantCulture)} "
                + $"({LimitsOptions.Section}:{key}).",
            Source: source
        );

    // After a burst of large bodies the heap is mostly garbage that no later allocation will prompt the GC to
    // collect; a compacting collection returns it to the operating system (the peak was held for good otherwise).
    private static void ReleaseMemory() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}

/// <summary>What a screening does when notes are over the note budget of one screening.</summary>
public enum NoteBudgetPolicy
{
    /// <summary>Refuse the request whole before any note is scored (413): a guard on one request's cost.</summary>
    RefuseRequest,

    /// <summary>
    /// Screen each patient on the newest notes that fit, with a warning (<see cref="RequestBudgets.FitNotes"/>): jobs
    /// that screen many patients, where one patient's notes must not stop the others or lose that patient.
    /// </summary>
    ScoreNewestNotes,
}

/// <summary>
/// A patient's record with the notes that fit the note budget (<see cref="RequestBudgets.FitNotes"/>): what was left
/// out, and the warning that says so (null when every note fit).
/// </summary>
public sealed record NoteBudgetFit(PatientRecord Record, int NotesLeftOut, long CharactersLeftOut, InputIssue? Warning)
{
    public bool Trimmed => NotesLeftOut > 0;
}
