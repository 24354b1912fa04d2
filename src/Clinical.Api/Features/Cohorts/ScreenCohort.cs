using System.Diagnostics;
using Clinical.Api.Errors;
using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Cohorts;

/// <summary>
/// Works a cohort run (<see cref="StartCohortRun"/>) through to its end, or resumes it exactly where it stopped: plans
/// its shards once, screens every shard not yet done (<see cref="CohortShardScreener"/>: batches committed with their
/// rows), then joins the shards' parts into the run's files, manifest.json and summary.json. Ctrl-C, a kill or DELETE
/// stop it at a batch boundary; summary.json then says what was done, what failed and what was not reached.
/// </summary>
public sealed record ScreenCohort(string RunId, string Actor) : IRequest<CohortRunSummary>, IAuditedRequest
{
    public string Action => "screen-cohort-run";

    /// <summary>Hears where the run stands after planning and after every committed batch.</summary>
    public IProgress<CohortProgress>? Progress { get; init; }
}

public sealed class ScreenCohortValidator : AbstractValidator<ScreenCohort>
{
    public ScreenCohortValidator() =>
        RuleFor(r => r.RunId).Must(CohortRunIds.IsValid).WithMessage(r => CohortRunIds.Invalid(r.RunId));
}

public sealed class ScreenCohortHandler(
    ClinicalDbContext db,
    CohortPlanner planner,
    Cluster.IShardWorkers workers,
    TimeProvider clock
) : IRequestHandler<ScreenCohort, CohortRunSummary>
{
    public async ValueTask<CohortRunSummary> Handle(ScreenCohort request, CancellationToken cancellationToken)
    {
        var run =
            await db.CohortRuns.SingleOrDefaultAsync(r => r.RunId == request.RunId, cancellationToken)
            ?? throw new NotFoundException($"There is no cohort run {request.RunId} in this database.");
        if (run.Status == CohortRunStatus.Cancelled)
            throw new ConflictException($"Run {run.RunId} was cancelled; start a new run.");
        if (run.Status != CohortRunStatus.Completed)
        {
            var work = Directory.CreateDirectory(CohortOutputs.WorkFolder(run)).FullName;
            await using var held = Lock(work, run.RunId);
            if (CohortPlanner.Fingerprint(CohortPlanner.Inputs(run)) != run.InputFingerprint)
                throw new ConflictException(
                    $"The inputs of run {run.RunId} changed since it started (files added, removed or modified), so "
                        + "it cannot be finished exactly; start a new run."
                );
            await WorkAsync(run, work, request.Progress, cancellationToken);
        }
        return await FinishedAsync(run, cancellationToken);
    }

    private async Task WorkAsync(
        CohortRun run,
        string work,
        IProgress<CohortProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        await SetStatusAsync(run, CohortRunStatus.Running, error: null);
        var session = Stopwatch.StartNew();
        try
        {
            if (!run.Planned)
                await PlanAsync(run, work, cancellationToken);
            var all = await db
                .CohortShards.AsNoTracking()
                .Where(s => s.RunId == run.RunId)
                .OrderBy(s => s.Index)
                .ToListAsync(cancellationToken);
            var total = all.Aggregate(
                CohortCounts.None,
                (sum, s) => sum + new CohortCounts(s.Screened, s.Flagged, s.Skipped, s.Failed)
            );
            var done = CohortCounts.None;
            void Report() =>
                progress?.Report(new CohortProgress(run.RunId, run.PatientsPlanned, total, done, session.Elapsed));
            Report();
            await workers.ScreenAsync(
                run,
                all.Where(s => !s.Done).ToList(),
                batch =>
                {
                    total += batch;
                    done += batch;
                    Report();
                },
                cancellationToken
            );
            var merging = Stopwatch.StartNew();
            var committed = await db
                .CohortShards.AsNoTracking()
                .Where(s => s.RunId == run.RunId)
                .ToListAsync(CancellationToken.None);
            await Task.Run(() => CohortOutputs.Merge(run, committed), CancellationToken.None);
            run.ElapsedSeconds += merging.Elapsed.TotalSeconds;
            run.FinishedAt = clock.GetUtcNow();
            await SetStatusAsync(run, CohortRunStatus.Completed, error: null);
        }
        catch (Exception error)
        {
            await StopAsync(run, error);
            throw;
        }
    }

    private async Task PlanAsync(CohortRun run, string work, CancellationToken cancellationToken)
    {
        var planning = Stopwatch.StartNew();
        var plan = await Task.Run(() => planner.Plan(run, work, cancellationToken), cancellationToken);
        db.CohortShards.AddRange(plan.Shards);
        run.Planned = true;
        run.PatientsPlanned = plan.Patients;
        if (plan.Issues.Count > 0)
        {
            var outcome = OperationOutcomeBuilder.From(plan.Issues);
            outcome.Id = ResourceIds.Derived($"{run.RunId}|plan").For("OperationOutcome");
            new Screening.ScreeningContext(run.AsOf, run.ScreenedAt, run.RunId).Tag(outcome);
            run.PlanIssues = FhirJson.Serialize(outcome, indented: false) + "\n";
            run.PlanErrors = plan.Issues.Count(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal);
        }
        run.ElapsedSeconds += planning.Elapsed.TotalSeconds;
        run.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>
    /// After a stop: cancelled (DELETE asked for it: the run's folder is removed; stored results stay, they are
    /// screenings like any other), interrupted (Ctrl-C, shutdown) or failed; summary.json says how far it got.
    /// </summary>
    private async Task StopAsync(CohortRun run, Exception error)
    {
        db.ChangeTracker.Clear();
        var current = await db.CohortRuns.SingleAsync(r => r.RunId == run.RunId, CancellationToken.None);
        var stopped = error is OperationCanceledException;
        var status =
            stopped && current.CancelRequested ? CohortRunStatus.Cancelled
            : stopped ? CohortRunStatus.Interrupted
            : CohortRunStatus.Failed;
        await SetStatusAsync(current, status, stopped ? null : OneLine(error));
        run.Status = current.Status;
        if (status == CohortRunStatus.Cancelled)
        {
            DeleteFolder(run.OutputFolder);
            return;
        }
        CohortOutputs.WriteSummary(current, await CohortRunSummary.LoadAsync(db, current, CancellationToken.None));
    }

    private async Task SetStatusAsync(CohortRun run, string status, string? error)
    {
        run.Status = status;
        run.Error = error;
        run.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>The completed run's summary; its work folder and resume pointer are removed (again, if a kill came
    /// between the completion and the clean-up).</summary>
    private async Task<CohortRunSummary> FinishedAsync(CohortRun run, CancellationToken cancellationToken)
    {
        var summary = await CohortRunSummary.LoadAsync(db, run, cancellationToken);
        CohortOutputs.WriteSummary(run, summary);
        DeleteFolder(CohortOutputs.WorkFolder(run));
        File.Delete(Path.Combine(run.OutputFolder, StartCohortRunHandler.PointerFile));
        return summary;
    }

    /// <summary>One process works a run at a time: an exclusive lock on a file in its work folder.</summary>
    private static FileStream Lock(string work, string runId)
    {
        try
        {
            return new FileStream(
                Path.Combine(work, "lock"),
                FileMode.OpenOrCreate,
                FileAccess.ReadWrite,
                FileShare.None
            );
        }
        catch (IOException)
        {
            throw new ConflictException($"Run {runId} is being screened by another process.");
        }
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    private static string OneLine(Exception error)
    {
        var message = $"{error.GetType().Name}: {error.Message}".Split(['\r', '\n'])[0];
        return message.Length <= 500 ? message : message[..500];
    }
}
