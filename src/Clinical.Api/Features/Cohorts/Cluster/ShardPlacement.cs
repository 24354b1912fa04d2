using Orleans.Runtime;

namespace Clinical.Api.Features.Cohorts.Cluster;

/// <summary>
/// Spreads one run's shards over the cluster: a shard that is not running on an active silo (never started, or its
/// silo left) goes to the active silo running fewest of the run's shards, the lowest address on a tie. With as many
/// shards in flight as silos, each silo screens one.
/// </summary>
public sealed class ShardPlacement
{
    private readonly Dictionary<int, ShardWorkStatus> _last = [];

    /// <summary>The silos now active (empty when unknown: then no shard is placed, Orleans places it).</summary>
    public IReadOnlyCollection<SiloAddress> Active { get; set; } = [];

    /// <summary>Remembers where a shard's grain answered from and whether its work is done.</summary>
    public void Record(int index, ShardWorkStatus status) => _last[index] = status;

    /// <summary>Where the shard should be activated, or null when it runs on an active silo already.</summary>
    public SiloAddress? SiloFor(int index)
    {
        if (Active.Count == 0)
            return null;
        if (_last.TryGetValue(index, out var status) && status.Silo is { } at && Active.Contains(at))
            return null;
        var running = _last
            .Values.Where(s => !s.Done && s.Silo is not null)
            .GroupBy(s => s.Silo!)
            .ToDictionary(g => g.Key, g => g.Count());
        return Active
            .OrderBy(silo => running.GetValueOrDefault(silo))
            .ThenBy(silo => silo.ToParsableString(), StringComparer.Ordinal)
            .First();
    }
}
