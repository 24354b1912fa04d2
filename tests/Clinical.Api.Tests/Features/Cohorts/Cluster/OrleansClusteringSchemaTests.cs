using System.Net;
using Clinical.Api.Features.Cohorts.Cluster;
using Clinical.Api.Tests.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Clustering.AdoNet;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;

namespace Clinical.Api.Tests.Features.Cohorts.Cluster;

/// <summary>
/// Our membership tables and queries driven by Orleans' own ADO.NET clustering provider (the 10.4 binaries the
/// product runs), on a new database: the table version is Orleans' guard against two silos changing membership at
/// once, so a change made against a stale version must be refused and leave the table as it was. The session's time
/// zone is far from UTC so that times which only survive in UTC would show. Needs CLINICAL_TEST_POSTGRES.
/// </summary>
public sealed class OrleansClusteringSchemaTests
{
    private static readonly DateTime Start = new(2026, 6, 30, 8, 15, 30, DateTimeKind.Utc);

    [PostgresFact]
    public async Task Given_a_stale_table_version_When_a_silo_joins_or_changes_Then_refused_and_nothing_changes()
    {
        await using var database = await ScratchDatabase.CreateAsync("orleans_clustering");
        var table = await TableAsync(database, "cluster-a");
        var empty = await table.ReadAllAsync();
        var first = Silo(port: 11111);

        Assert.True(await table.InsertRowAsync(first, empty.Version.Next()));
        Assert.False(await table.InsertRowAsync(Silo(port: 11112), empty.Version.Next()));
        var joined = await table.ReadAllAsync();
        Assert.False(await table.InsertRowAsync(first, joined.Version.Next()));
        first.Status = SiloStatus.Active;
        // A row's etag is the table version it was read at: this one reaches the database, which must refuse it.
        Assert.False(await table.UpdateRowAsync(first, empty.Version.VersionEtag, empty.Version.Next()));
        var refused = await table.ReadAllAsync();
        Assert.Equal((1, SiloStatus.Joining), (refused.Version.Version, Assert.Single(refused.Members).Item1.Status));

        Assert.True(await UpdateAsync(table, first));
        var row = await table.ReadRowAsync(first.SiloAddress);

        Assert.Equal((0, 2), (empty.Version.Version, row.Version.Version));
        var stored = Assert.Single(row.Members).Item1;
        Assert.Equal(
            (first.SiloAddress, first.SiloName, first.HostName, SiloStatus.Active, first.ProxyPort),
            (stored.SiloAddress, stored.SiloName, stored.HostName, stored.Status, stored.ProxyPort)
        );
        Assert.Equal((Start, Start.AddSeconds(5)), (stored.StartTime, stored.IAmAliveTime));
    }

    [PostgresFact]
    public async Task Given_silos_racing_on_one_table_version_When_they_join_Then_exactly_one_wins()
    {
        await using var database = await ScratchDatabase.CreateAsync("orleans_clustering");
        var tables = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => TableAsync(database, "cluster-b")));
        var version = (await tables[0].ReadAllAsync()).Version;

        var joined = await Task.WhenAll(
            tables.Select((t, i) => t.InsertRowAsync(Silo(port: 12000 + i), version.Next()))
        );

        Assert.Single(joined, j => j);
        var after = await tables[0].ReadAllAsync();
        Assert.Equal(version.Version + 1, after.Version.Version);
        Assert.Single(after.Members);
    }

    [PostgresFact]
    public async Task Given_live_suspected_and_dead_silos_When_read_cleaned_and_deleted_Then_the_table_follows()
    {
        await using var database = await ScratchDatabase.CreateAsync("orleans_clustering");
        var table = await TableAsync(database, "cluster-c");
        var other = await TableAsync(database, "cluster-other");
        var (live, dead) = (Silo(port: 13001), Silo(port: 13002));
        Assert.True(await table.InsertRowAsync(live, (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(dead, (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await other.InsertRowAsync(Silo(port: 13003), (await other.ReadAllAsync()).Version.Next()));
        live.Status = SiloStatus.Active;
        live.SuspectTimes = [Tuple.Create(dead.SiloAddress, Start.AddSeconds(9))];
        Assert.True(await UpdateAsync(table, live));
        dead.Status = SiloStatus.Dead;
        Assert.True(await UpdateAsync(table, dead));

        live.IAmAliveTime = Start.AddMinutes(3);
        await table.UpdateIAmAliveAsync(live);
        var read = await table.ReadRowAsync(live.SiloAddress);
        var gateways = await GatewaysAsync(database, "cluster-c");

        Assert.Equal(4, read.Version.Version);
        var stored = Assert.Single(read.Members).Item1;
        Assert.Equal(Start.AddMinutes(3), stored.IAmAliveTime);
        var suspicion = Assert.Single(stored.SuspectTimes!);
        Assert.Equal((dead.SiloAddress, Start.AddSeconds(9)), (suspicion.Item1, suspicion.Item2));
        Assert.Equal([SiloAddress.New(IPAddress.Loopback, live.ProxyPort, 7).ToGatewayUri()], gateways);

        await table.CleanupDefunctSiloEntriesAsync(Start.AddMinutes(1));
        Assert.Equal([live.SiloAddress], (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress));
        await table.DeleteMembershipTableEntriesAsync("cluster-c");
        Assert.Equal(
            0,
            await database.ScalarAsync("SELECT count(*) FROM orleans_membership_version WHERE cluster_id = 'cluster-c'")
        );
        Assert.Single((await other.ReadAllAsync()).Members);
    }

    /// <summary>A change to a silo's row as Orleans makes one: the row's etag and the version read with it.</summary>
    private static async Task<bool> UpdateAsync(AdoNetClusteringTable table, MembershipEntry entry)
    {
        var read = await table.ReadAllAsync();
        var etag = read.Members.Single(m => m.Item1.SiloAddress.Equals(entry.SiloAddress)).Item2;
        return await table.UpdateRowAsync(entry, etag, read.Version.Next());
    }

    /// <summary>The provider as a silo starts it: reading the queries, then making the cluster's version row.</summary>
    private static async Task<AdoNetClusteringTable> TableAsync(ScratchDatabase database, string clusterId)
    {
        await OrleansSchema.ApplyAsync(database.ConnectionString, default);
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "clinical" }),
            Options.Create(
                new AdoNetClusteringSiloOptions
                {
                    Invariant = CohortCluster.Invariant,
                    ConnectionString = FarFromUtc(database),
                }
            ),
            NullLogger<AdoNetClusteringTable>.Instance
        );
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return table;
    }

    private static async Task<IList<Uri>> GatewaysAsync(ScratchDatabase database, string clusterId)
    {
        var gateways = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(
                new AdoNetClusteringClientOptions
                {
                    Invariant = CohortCluster.Invariant,
                    ConnectionString = FarFromUtc(database),
                }
            ),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "clinical" })
        );
        await gateways.InitializeGatewayListProviderAsync();
        return await gateways.GetGatewaysAsync();
    }

    private static string FarFromUtc(ScratchDatabase database) =>
        new NpgsqlConnectionStringBuilder(database.ConnectionString) { Timezone = "Pacific/Chatham" }.ConnectionString;

    private static MembershipEntry Silo(int port) =>
        new()
        {
            SiloAddress = SiloAddress.New(IPAddress.Loopback, port, generation: 7),
            SiloName = $"worker-{port}",
            HostName = "cohort-host",
            Status = SiloStatus.Joining,
            ProxyPort = port + 1000,
            StartTime = Start,
            IAmAliveTime = Start.AddSeconds(5),
        };
}
