using Clinical.Api.Features.Cohorts.Cluster;
using Clinical.Api.Tests.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Orleans.Storage;

namespace Clinical.Api.Tests.Features.Cohorts.Cluster;

/// <summary>
/// A cohort silo started on a new, empty database (it creates the tables itself and joins), and our grain-state
/// table and queries driven through the silo's own ADO.NET grain storage: the ETag is the stored version, and a write
/// or clear that names another version must fail with Orleans' InconsistentStateException, as two activations of one
/// shard grain would. Needs CLINICAL_TEST_POSTGRES.
/// </summary>
public sealed class OrleansGrainStorageSchemaTests
{
    private const string GrainType = "Clinical.Api.Features.Cohorts.Cluster.CohortShardGrain";

    [PostgresFact]
    public async Task Given_a_silo_on_an_empty_database_When_grain_state_is_written_stale_Then_the_write_is_refused()
    {
        await using var database = await ScratchDatabase.CreateAsync("orleans_storage");
        using var silo = await StartSiloAsync(database);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(CohortCluster.Storage);
        var shard = GrainId.Create("cohortshard", "run-1/0");
        var other = GrainId.Create("cohortshard", "run-1/1");
        var written = new ShardGrainState { Attempts = 1, Silos = ["a"] };
        var state = new GrainState<ShardGrainState>(written);

        await storage.WriteStateAsync(GrainType, shard, state);
        await storage.WriteStateAsync(GrainType, other, new GrainState<ShardGrainState>(new ShardGrainState()));
        var firstAgain = new GrainState<ShardGrainState>(new ShardGrainState { Attempts = 9 });
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync(GrainType, shard, firstAgain)
        );
        written.Attempts = 2;
        await storage.WriteStateAsync(GrainType, shard, state);
        var stale = new GrainState<ShardGrainState>(new ShardGrainState { Attempts = 9 }, eTag: "1");
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(GrainType, shard, stale));

        var read = new GrainState<ShardGrainState>();
        await storage.ReadStateAsync(GrainType, shard, read);
        Assert.Equal(
            (true, "2", 2, "a"),
            (read.RecordExists, read.ETag, read.State!.Attempts, Assert.Single(read.State.Silos))
        );
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(GrainType, shard, stale));
        await storage.ClearStateAsync(GrainType, shard, read);
        var cleared = new GrainState<ShardGrainState>();
        await storage.ReadStateAsync(GrainType, shard, cleared);
        Assert.Equal((false, "3", 0), (cleared.RecordExists, cleared.ETag, cleared.State!.Attempts));
        cleared.State.Done = true;
        await storage.WriteStateAsync(GrainType, shard, cleared);
        Assert.Equal("4", cleared.ETag);
        var untouched = new GrainState<ShardGrainState>();
        await storage.ReadStateAsync(GrainType, other, untouched);
        Assert.Equal("1", untouched.ETag);

        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM orleans_membership WHERE status = 3"));
        await silo.StopAsync();
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM orleans_membership WHERE status = 6"));
    }

    private static async Task<IHost> StartSiloAsync(ScratchDatabase database)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo =>
            silo.UseCohortCluster(
                new CohortClusterOptions
                {
                    ConnectionString = database.ConnectionString,
                    ClusterId = $"storage-{Guid.NewGuid():N}",
                    AdvertisedAddress = "127.0.0.1",
                    SiloPort = PostgresClusterTests.FreePort(),
                    GatewayPort = PostgresClusterTests.FreePort(),
                }
            )
        );
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
