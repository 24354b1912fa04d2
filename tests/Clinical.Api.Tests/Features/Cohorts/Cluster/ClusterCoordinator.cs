using Clinical.Api.Features.Cohorts;
using Clinical.Api.Features.Cohorts.Cluster;
using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Api.Hosting;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Clinical.Api.Tests.Features.Cohorts.Cluster;

/// <summary>A silo of the test cluster: the clinical services, the shard grains, their state in memory.</summary>
public sealed class ClinicalSilo : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.AddMemoryGrainStorage(CohortCluster.Storage);
        siloBuilder.Services.AddClinical(siloBuilder.Configuration);
        siloBuilder.Services.AddCohortGrains();
    }
}

/// <summary>
/// The coordinator of a run on a test cluster, as `screen-cohort --cluster` is: plans the run in the clinical
/// database and hands its shards to the cluster's grains through the cluster's client.
/// </summary>
public static class ClusterCoordinator
{
    /// <summary>
    /// Waits until the cluster's membership lists every silo as active (a started silo may not be known to the others
    /// yet), so a run spreads over all of them from its first poll.
    /// </summary>
    public static async Task WaitForActiveSilosAsync(TestCluster cluster, int count)
    {
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while ((await management.GetHosts(onlyActive: true)).Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The cluster's {count} silos did not all become active.");
            await Task.Delay(50);
        }
    }

    public static async Task<(CohortRunSummary Summary, ClusterShardWorkers Workers)> ScreenAsync(
        TestCluster cluster,
        IReadOnlyDictionary<string, string?> settings,
        string cohort,
        string output,
        string runId,
        Func<ClusterShardWorkers, IProgress<CohortProgress>?>? progress = null
    )
    {
        var coordinator = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        coordinator.Configuration.AddInMemoryCollection(settings);
        coordinator.Services.AddClinical(coordinator.Configuration);
        coordinator.Services.AddSingleton<IGrainFactory>(cluster.Client);
        coordinator.Services.AddCohortGrains();
        using var host = coordinator.Build();
        await ClinicalServices.EnsureDatabaseAsync(host.Services);
        await using var scope = host.Services.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var workers = host.Services.GetRequiredService<ClusterShardWorkers>();
        await mediator.Send(
            new StartCohortRun(
                [cohort],
                output,
                runId,
                new DateOnly(2026, 6, 30),
                SummaryChoice.None,
                StartCohortRun.Cli,
                "test",
                "test"
            )
        );
        var summary = await mediator.Send(new ScreenCohort(runId, "test") { Progress = progress?.Invoke(workers) });
        return (summary, workers);
    }
}
