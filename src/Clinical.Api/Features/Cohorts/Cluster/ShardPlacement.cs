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

    /// <summary>Forgets a shard whose grain did not answer: where it runs is not known.</summary>
    public void Forget(int index) => _last.Remove(index);

    /// <summary>
    /// Where each shard of the window that is not running on an active silo should be activated, one after another
    /// (each counted as running where it is planned); the others are absent, as are all when no silo is known.
    /// </summary>
    public IReadOnlyDictionary<int, SiloAddress> Plan(IEnumerable<int> window)
    {
        var plan = new Dictionary<int, SiloAddress>();
        if (Active.Count == 0)
            return plan;
        foreach (var index in window)
        {
            if (_last.TryGetValue(index, out var status) && status.Silo is { } at && Active.Contains(at))
                continue;
            var silo = LeastBusy();
            plan[index] = silo;
            _last[index] = new ShardWorkStatus(false, silo, status?.Attempts ?? 0, null);
        }
        return plan;
    }

    private SiloAddress LeastBusy()
    {
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
