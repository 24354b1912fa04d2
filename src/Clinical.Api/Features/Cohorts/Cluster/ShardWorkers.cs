using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Api.Persistence;

namespace Clinical.Api.Features.Cohorts.Cluster;

/// <summary>
/// Who screens a run's unfinished shards: this process one shard after another (<see cref="LocalShardWorkers"/>), or
/// the silos of an Orleans cluster, each shard owned by a grain (<see cref="ClusterShardWorkers"/>). Either way a shard
/// goes from its committed cursor to its end through <see cref="CohortShardScreener"/>, and
/// <paramref name="committed"/> hears of every committed batch.
/// </summary>
public interface IShardWorkers
{
    Task ScreenAsync(
        CohortRun run,
        IReadOnlyList<CohortShard> shards,
        Action<CohortCounts> committed,
        CancellationToken cancellationToken
    );
}

/// <summary>
/// The one-machine path: the shards in order, in this process. Faster than an in-process silo here (no grain calls,
/// no polling of the database for progress), so it stays the default of screen-cohort.
/// </summary>
public sealed class LocalShardWorkers(CohortShardScreener screener) : IShardWorkers
{
    public async Task ScreenAsync(
        CohortRun run,
        IReadOnlyList<CohortShard> shards,
        Action<CohortCounts> committed,
        CancellationToken cancellationToken
    )
    {
        foreach (var shard in shards)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await screener.ScreenAsync(run, shard, committed, cancellationToken);
        }
    }
}
