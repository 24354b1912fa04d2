using System.Net;
using Clinical.Api.Features.Cohorts.Cluster;
using Orleans.Runtime;

namespace Clinical.Api.Tests.Features.Cohorts.Cluster;

public sealed class ShardPlacementTests
{
    private static readonly SiloAddress A = Silo(11111);
    private static readonly SiloAddress B = Silo(11112);
    private static readonly SiloAddress C = Silo(11113);

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);

    private static ShardWorkStatus Running(SiloAddress silo) => new(false, silo, 1, null);

    [Fact]
    public void Given_three_idle_silos_When_three_shards_start_together_Then_each_silo_gets_one()
    {
        var placement = new ShardPlacement { Active = [C, A, B] };

        var plan = placement.Plan([0, 1, 2]);

        Assert.Equal([A, B, C], [plan[0], plan[1], plan[2]]);
    }

    [Fact]
    public void Given_a_shard_done_When_the_next_starts_Then_it_goes_where_that_one_ran()
    {
        var placement = new ShardPlacement { Active = [A, B, C] };
        placement.Record(0, Running(A));
        placement.Record(1, new ShardWorkStatus(true, B, 1, null));
        placement.Record(2, Running(C));

        var plan = placement.Plan([0, 2, 3]);

        Assert.Equal(B, Assert.Single(plan, p => p.Key == 3).Value);
        Assert.Single(plan);
    }

    [Fact]
    public void Given_a_shard_whose_silo_left_When_planned_Then_it_goes_to_the_least_busy_silo_that_remains()
    {
        var placement = new ShardPlacement { Active = [A, B, C] };
        placement.Record(0, Running(A));
        placement.Record(1, Running(B));
        placement.Record(2, Running(C));
        placement.Record(3, Running(A));
        placement.Active = [A, B];

        var plan = placement.Plan([0, 1, 2, 3]);

        Assert.Equal(B, Assert.Single(plan, p => p.Key == 2).Value);
        Assert.Single(plan);
    }

    [Fact]
    public void Given_a_planned_shard_whose_grain_did_not_answer_When_forgotten_Then_it_no_longer_counts()
    {
        var placement = new ShardPlacement { Active = [A, B] };
        Assert.Equal(A, placement.Plan([0])[0]);
        placement.Forget(0);

        Assert.Equal(A, placement.Plan([1])[1]);
    }

    [Fact]
    public void Given_the_active_silos_unknown_When_shards_start_Then_orleans_places_them()
    {
        var placement = new ShardPlacement();

        Assert.Empty(placement.Plan([0, 1]));
    }
}
