using System.Collections.Concurrent;
using Clinical.Api.Errors;
using Clinical.Api.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Cohorts.Runs;

/// <summary>
/// The service's worker for runs started over HTTP ($hf-screen-cohort): one run at a time, oldest first, each sent as
/// the same <see cref="ScreenCohort"/> request the command line sends. Runs left queued, running (the process was
/// killed) or interrupted (it was stopped) are taken up again when the service starts, and resume where they stopped.
/// DELETE on a run's status URL cancels it through <see cref="Cancel"/>.
/// </summary>
public sealed partial class CohortRunner(IServiceScopeFactory scopes, TimeProvider clock, ILogger<CohortRunner> logger)
    : BackgroundService
{
    private static readonly string[] Resumable =
    [
        CohortRunStatus.Queued,
        CohortRunStatus.Running,
        CohortRunStatus.Interrupted,
    ];

    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _busyElsewhere = new(StringComparer.Ordinal);

    /// <summary>A run was queued: look now rather than at the next poll.</summary>
    public void Wake() => _wake.Release();

    /// <summary>Stops the run if this process is working it (it then records itself as cancelled).</summary>
    public bool Cancel(string runId)
    {
        if (!_running.TryGetValue(runId, out var stop))
            return false;
        stop.Cancel();
        return true;
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = await NextAsync(stoppingToken);
            if (next is null)
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken);
                continue;
            }
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _running[next.RunId] = stop;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope
                    .ServiceProvider.GetRequiredService<IMediator>()
                    .Send(new ScreenCohort(next.RunId, next.Actor), stop.Token);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (ConflictException)
            {
                // Another instance holds the run's lock; look again later.
                _busyElsewhere[next.RunId] = clock.GetUtcNow();
            }
            catch (Exception error)
            {
                // The run records its own status (failed, cancelled); the service goes on with the next one.
                LogRunStopped(next.RunId, error.GetType().Name);
            }
            finally
            {
                _running.TryRemove(next.RunId, out _);
            }
        }
    }

    private async Task<CohortRun?> NextAsync(CancellationToken stoppingToken)
    {
        var retryAfter = clock.GetUtcNow().AddMinutes(-1);
        foreach (var (id, since) in _busyElsewhere)
        {
            if (since < retryAfter)
                _busyElsewhere.TryRemove(id, out _);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicalDbContext>();
        var candidates = await db
            .CohortRuns.AsNoTracking()
            .Where(r => r.Origin == StartCohortRun.Http && Resumable.Contains(r.Status) && !r.CancelRequested)
            .OrderBy(r => r.CreatedAt)
            .Take(16)
            .ToListAsync(stoppingToken);
        return candidates.FirstOrDefault(r => !_busyElsewhere.ContainsKey(r.RunId));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cohort run {RunId} stopped with {Error}")]
    private partial void LogRunStopped(string runId, string error);
}
