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
    public void Given_three_idle_silos_When_three_shards_start_Then_each_silo_gets_one()
    {
        var placement = new ShardPlacement { Active = [C, A, B] };
        var placed = new List<SiloAddress>();
        foreach (var index in new[] { 0, 1, 2 })
        {
            var silo = placement.SiloFor(index)!;
            placement.Record(index, Running(silo));
            placed.Add(silo);
        }

        Assert.Equal([A, B, C], placed);
    }

    [Fact]
    public void Given_a_shard_done_When_the_next_starts_Then_it_goes_where_that_one_ran()
    {
        var placement = new ShardPlacement { Active = [A, B, C] };
        placement.Record(0, Running(A));
        placement.Record(1, Running(B));
        placement.Record(2, Running(C));
        placement.Record(1, new ShardWorkStatus(true, B, 1, null));

        Assert.Equal(B, placement.SiloFor(3));
    }

    [Fact]
    public void Given_a_shard_running_on_an_active_silo_When_polled_again_Then_it_is_not_placed()
    {
        var placement = new ShardPlacement { Active = [A, B] };
        placement.Record(0, Running(B));

        Assert.Null(placement.SiloFor(0));
    }

    [Fact]
    public void Given_a_shard_whose_silo_left_When_polled_Then_it_goes_to_the_least_busy_silo_that_remains()
    {
        var placement = new ShardPlacement { Active = [A, B, C] };
        placement.Record(0, Running(A));
        placement.Record(1, Running(B));
        placement.Record(2, Running(C));
        placement.Record(3, Running(A));
        placement.Active = [A, B];

        Assert.Equal(B, placement.SiloFor(2));
    }

    [Fact]
    public void Given_the_active_silos_unknown_When_a_shard_starts_Then_orleans_places_it()
    {
        var placement = new ShardPlacement();

        Assert.Null(placement.SiloFor(0));
    }
}
