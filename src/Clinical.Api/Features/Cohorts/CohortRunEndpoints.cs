using System.Globalization;
using System.Text.Json;
using Clinical.Api.Errors;
using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Api.FhirHttp;
using Clinical.Api.Hosting;
using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using Hl7.Fhir.Model;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Cohorts;

/// <summary>Where a run stands, for its status URL.</summary>
public sealed record GetCohortRun(string RunId) : IRequest<CohortRunState>;

public sealed record CohortRunState(CohortRun Run, CohortRunSummary Summary);

public sealed class GetCohortRunHandler(ClinicalDbContext db) : IRequestHandler<GetCohortRun, CohortRunState>
{
    public async ValueTask<CohortRunState> Handle(GetCohortRun request, CancellationToken cancellationToken)
    {
        var run = await db
            .CohortRuns.AsNoTracking()
            .SingleOrDefaultAsync(r => r.RunId == request.RunId, cancellationToken);
        if (run is null || run.Status == CohortRunStatus.Cancelled || run.CancelRequested)
            throw new NotFoundException($"There is no cohort run {request.RunId}.");
        return new CohortRunState(run, await CohortRunSummary.LoadAsync(db, run, cancellationToken));
    }
}

/// <summary>
/// DELETE on the status URL: the run stops at its next batch (or never starts), its folder is removed, and its status
/// URL answers 404 from then on. Results already stored stay stored: each is a screening like any other.
/// </summary>
public sealed record CancelCohortRun(string RunId, string Actor) : IRequest<CohortRun>, IAuditedRequest
{
    public string Action => "cancel-cohort-run";
}

public sealed class CancelCohortRunHandler(ClinicalDbContext db, CohortRunner runner, TimeProvider clock)
    : IRequestHandler<CancelCohortRun, CohortRun>
{
    public async ValueTask<CohortRun> Handle(CancelCohortRun request, CancellationToken cancellationToken)
    {
        var run = await db.CohortRuns.SingleOrDefaultAsync(r => r.RunId == request.RunId, cancellationToken);
        if (run is null || run.Status == CohortRunStatus.Cancelled || run.CancelRequested)
            throw new NotFoundException($"There is no cohort run {request.RunId}.");
        run.CancelRequested = true;
        run.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        if (runner.Cancel(run.RunId))
            return run; // the worker records the cancellation and removes the folder when it stops
        run.Status = CohortRunStatus.Cancelled;
        await db.SaveChangesAsync(cancellationToken);
        if (Directory.Exists(run.OutputFolder))
            Directory.Delete(run.OutputFolder, recursive: true);
        return run;
    }
}

/// <summary>One output file of a completed run (the manifest's URLs); reading results is audited.</summary>
public sealed record ReadCohortRunFile(string RunId, string Name, string Actor) : IRequest<string>, IAuditedRequest
{
    public string Action => "read-cohort-file";
}

public sealed class ReadCohortRunFileHandler(ClinicalDbContext db) : IRequestHandler<ReadCohortRunFile, string>
{
    private static readonly HashSet<string> Served = new(
        [.. CohortFiles.Parts, CohortFiles.Summary, CohortFiles.Manifest],
        StringComparer.Ordinal
    );

    public async ValueTask<string> Handle(ReadCohortRunFile request, CancellationToken cancellationToken)
    {
        var run = await db
            .CohortRuns.AsNoTracking()
            .SingleOrDefaultAsync(r => r.RunId == request.RunId, cancellationToken);
        if (run is null || run.Status != CohortRunStatus.Completed || !Served.Contains(request.Name))
            throw new NotFoundException($"Cohort run {request.RunId} has no file {request.Name}.");
        var path = Path.Combine(run.OutputFolder, request.Name);
        return File.Exists(path) ? path : throw new NotFoundException($"{request.Name} is no longer on disk.");
    }
}

/// <summary>
/// The status URL of a run started with $hf-screen-cohort (FHIR asynchronous request pattern, admin role): GET answers
/// 202 with X-Progress and Retry-After while it works, 200 with the Bulk Data manifest when it is done (file URLs
/// under the status URL), 500 with an OperationOutcome when it failed, 404 once cancelled; DELETE cancels.
/// </summary>
public static class CohortRunEndpoints
{
    public const string RunsPath = "/cohort-runs";

    public static string StatusUrl(HttpRequest http, string runId) =>
        $"{http.Scheme}://{http.Host}{http.PathBase}/fhir{RunsPath}/{runId}";

    public static void MapCohortRuns(this RouteGroupBuilder fhir)
    {
        var runs = fhir.MapGroup(RunsPath).RequireAuthorization(Policies.Admin);
        runs.MapGet(
                "/{runId}",
                async (HttpRequest http, IMediator mediator, string runId, CancellationToken cancellationToken) =>
                {
                    var (run, summary) = await mediator.Send(new GetCohortRun(runId), cancellationToken);
                    switch (run.Status)
                    {
                        case CohortRunStatus.Completed:
                            var manifest = await File.ReadAllTextAsync(
                                Path.Combine(run.OutputFolder, CohortFiles.Manifest),
                                cancellationToken
                            );
                            return Results.Text(Rewrite(manifest, run, StatusUrl(http, runId)), "application/json");
                        case CohortRunStatus.Failed:
                            return FhirContent.Result(
                                Outcome(OperationOutcome.IssueType.Exception, $"Run {runId} failed: {run.Error}"),
                                StatusCodes.Status500InternalServerError
                            );
                        default:
                            http.HttpContext.Response.Headers["X-Progress"] = Progress(run, summary);
                            http.HttpContext.Response.Headers.RetryAfter = "5";
                            return Results.StatusCode(StatusCodes.Status202Accepted);
                    }
                }
            )
            .WithName("CohortRunStatus");
        runs.MapDelete(
                "/{runId}",
                async (HttpRequest http, IMediator mediator, string runId, CancellationToken cancellationToken) =>
                {
                    await mediator.Send(new CancelCohortRun(runId, FhirContent.Caller(http)), cancellationToken);
                    return FhirContent.Result(
                        Outcome(OperationOutcome.IssueType.Informational, $"Run {runId} is cancelled."),
                        StatusCodes.Status202Accepted
                    );
                }
            )
            .WithName("CancelCohortRun");
        runs.MapGet(
                "/{runId}/files/{name}",
                async (
                    HttpRequest http,
                    IMediator mediator,
                    string runId,
                    string name,
                    CancellationToken cancellationToken
                ) =>
                {
                    var path = await mediator.Send(
                        new ReadCohortRunFile(runId, name, FhirContent.Caller(http)),
                        cancellationToken
                    );
                    var type =
                        name.EndsWith(".ndjson", StringComparison.Ordinal) ? "application/fhir+ndjson"
                        : name.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv; charset=utf-8"
                        : "application/json";
                    return Results.File(path, type);
                }
            )
            .WithName("CohortRunFile");
    }

    /// <summary>
    /// "1,200 of 2,000 patients (60 %): 1,190 screened, 84 flagged, 0 failed, 10 skipped" (or the state).
    /// </summary>
    public static string Progress(CohortRun run, CohortRunSummary summary)
    {
        if (!run.Planned)
            return run.Status == CohortRunStatus.Queued ? "queued" : "reading the inputs";
        var patients = summary.Patients;
        var share = patients.Read > 0 ? 100.0 * patients.Done / patients.Read : 100;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{patients.Done:N0} of {patients.Read:N0} patients ({share:0} %): {patients.Screened:N0} screened, "
                + $"{patients.Flagged:N0} flagged, {patients.Failed:N0} failed, {patients.Skipped.Total:N0} skipped"
                + $"{(run.Status == CohortRunStatus.Interrupted ? " (interrupted; resuming)" : "")}"
        );
    }

    /// <summary>The run's manifest with every file URL under the status URL.</summary>
    private static string Rewrite(string manifest, CohortRun run, string statusUrl) =>
        CohortOutputs.Manifest(run, Counts(manifest), file => $"{statusUrl}/files/{Uri.EscapeDataString(file)}");

    private static Dictionary<string, long> Counts(string manifest)
    {
        using var document = JsonDocument.Parse(manifest);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var list in new[] { "output", "error" })
        {
            foreach (var entry in document.RootElement.GetProperty(list).EnumerateArray())
                counts[entry.GetProperty("type").GetString() + ".ndjson"] = entry.GetProperty("count").GetInt64();
        }
        counts[CohortFiles.FlaggedCsv] = document
            .RootElement.GetProperty("extension")
            .GetProperty("flaggedCount")
            .GetInt64();
        return counts;
    }

    private static OperationOutcome Outcome(OperationOutcome.IssueType code, string message) =>
        new()
        {
            Issue =
            [
                new OperationOutcome.IssueComponent
                {
                    Severity =
                        code == OperationOutcome.IssueType.Informational
                            ? OperationOutcome.IssueSeverity.Information
                            : OperationOutcome.IssueSeverity.Error,
                    Code = code,
                    Diagnostics = message,
                },
            ],
        };
}
