using System.Diagnostics;
using Clinical.Api.Errors;
using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Api.Persistence;
using Microsoft.EntityFrameworkCore;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Clinical.Api.Features.Cohorts.Cluster;

/// <summary>
/// The cluster path: every unfinished shard handed to its grain (<see cref="ICohortShardGrain"/>), which screens it
/// on the silo it is placed on. The coordinator polls the grains (a poll after a silo died reactivates its shards
/// elsewhere, from their last commit) and reads progress from the shards' committed counts in the database. A shard
/// not yet running on an active silo is placed on the one running fewest of the run's shards
/// (<see cref="ShardPlacement"/>): Orleans' default placement prefers the silo a call arrives at when loads look
/// alike, which can heap a run's shards on one machine while others idle.
/// </summary>
public sealed partial class ClusterShardWorkers(
    IGrainFactory grains,
    IServiceScopeFactory scopes,
    CohortClusterOptions options,
    ILogger<ClusterShardWorkers> logger
) : IShardWorkers
{
    /// <summary>The last status each shard's grain answered (tests read where shards run).</summary>
    public IReadOnlyDictionary<int, ShardWorkStatus> Statuses => _statuses;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, ShardWorkStatus> _statuses = new();

    public async Task ScreenAsync(
        CohortRun run,
        IReadOnlyList<CohortShard> shards,
        Action<CohortCounts> committed,
        CancellationToken cancellationToken
    )
    {
        var pending = shards.Select(s => s.Index).ToHashSet();
        var placement = new ShardPlacement();
        var seen = await CountsAsync(run.RunId);
        var poll = TimeSpan.FromMilliseconds(options.PollMilliseconds);
        try
        {
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var started = Stopwatch.GetTimestamp();
                placement.Active = await ActiveSilosAsync();
                // At most ShardsInFlight shards at once (one per silo by default), lowest index first, as the local
                // path orders them. Their grains are polled together; each answers once its shard is done or the
                // poll period has passed, so a finished shard is seen, and the next one started, at once.
                var inFlight =
                    options.ShardsInFlight > 0 ? options.ShardsInFlight : Math.Max(1, placement.Active.Count);
                var window = pending.Order().Take(inFlight).ToList();
                var plan = placement.Plan(window);
                var answers = await Task.WhenAll(
                    window.Select(index => PollAsync(run.RunId, index, plan.GetValueOrDefault(index), poll))
                );
                var finished = false;
                foreach (var (index, status) in window.Zip(answers))
                {
                    if (status is null)
                    {
                        placement.Forget(index);
                        continue;
                    }
                    _statuses[index] = status;
                    placement.Record(index, status);
                    if (status.Error is { } error)
                        throw new ConflictException(
                            $"Shard {index} of run {run.RunId} failed {status.Attempts} times ({error}); "
                                + "see the workers' logs, then resume the run."
                        );
                    if (status.Done && pending.Remove(index))
                        finished = true;
                }
                var now = await CountsAsync(run.RunId);
                if (now != seen)
                    committed(now - seen);
                seen = now;
                // Without a shard finished (a silo unavailable, a shard to retry), the next round waits out the poll
                // period rather than calling again at once.
                var left = poll - Stopwatch.GetElapsedTime(started);
                if (pending.Count > 0 && !finished && left > TimeSpan.Zero)
                    await Task.Delay(left, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            foreach (var index in pending)
                await StopAsync(run.RunId, index);
            throw;
        }
    }

    /// <summary>
    /// Polls a shard's grain, which answers when its shard is done or after <paramref name="wait"/>;
    /// <paramref name="placeOn"/>, when given, is where the grain is activated if it is not
    /// active anywhere (Orleans reads it as a placement hint; an active grain is reached where it is).
    /// </summary>
    private async Task<ShardWorkStatus?> PollAsync(string runId, int index, SiloAddress? placeOn, TimeSpan wait)
    {
        try
        {
            if (placeOn is not null)
                RequestContext.Set(IPlacementDirector.PlacementHintKey, placeOn);
            return await grains
                .GetGrain<ICohortShardGrain>(CohortShardGrain.Key(runId, index))
                .EnsureScreeningAsync(wait);
        }
        catch (Exception error) when (error is SiloUnavailableException or OrleansException or TimeoutException)
        {
            // Its silo is leaving or gone: the next poll activates the grain on a silo that is still there.
            LogUnavailable(error.GetType().Name, runId, index);
            return null;
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>The silos now active, or none when the cluster cannot say (Orleans then places as it would).</summary>
    private async Task<IReadOnlyCollection<SiloAddress>> ActiveSilosAsync()
    {
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            return hosts.Keys;
        }
        catch (Exception error) when (error is SiloUnavailableException or OrleansException or TimeoutException)
        {
            LogNoHosts(error.GetType().Name);
            return [];
        }
    }

    private async Task StopAsync(string runId, int index)
    {
        try
        {
            await grains.GetGrain<ICohortShardGrain>(CohortShardGrain.Key(runId, index)).StopAsync();
        }
        catch (Exception error) when (error is SiloUnavailableException or OrleansException or TimeoutException)
        {
            LogUnavailable(error.GetType().Name, runId, index);
        }
    }

    private async Task<CohortCounts> CountsAsync(string runId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicalDbContext>();
        var shards = await db
            .CohortShards.AsNoTracking()
            .Where(s => s.RunId == runId)
            .Select(s => new
            {
                s.Screened,
                s.Flagged,
                s.Skipped,
                s.Failed,
            })
            .ToListAsync(CancellationToken.None);
        return new CohortCounts(
            shards.Sum(s => s.Screened),
            shards.Sum(s => s.Flagged),
            shards.Sum(s => s.Skipped),
            shards.Sum(s => s.Failed)
        );
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Shard {Index} of run {RunId} unavailable ({Error}); polling again."
    )]
    private partial void LogUnavailable(string error, string runId, int index);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "The cluster's active silos could not be read ({Error}); Orleans places this poll's shards."
    )]
    private partial void LogNoHosts(string error);
}
