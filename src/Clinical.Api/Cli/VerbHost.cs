using Clinical.Api.Hosting;
using Mediator;
using Microsoft.Extensions.Configuration.Memory;

namespace Clinical.Api.Cli;

/// <summary>
/// A host for verbs: same configuration sources and services as the web host; logs go to stderr so stdout stays
/// clean FHIR. Verbs that store or audit patient data open the database; the others (training, synthetic cohorts)
/// never touch it.
/// </summary>
internal static class VerbHost
{
    public static async Task<IHost> StartAsync(
        string[] configurationArgs,
        CancellationToken cancellationToken,
        bool withDatabase = true,
        Action<HostApplicationBuilder>? configure = null,
        IReadOnlyDictionary<string, string?>? defaults = null
    )
    {
        var builder = Host.CreateApplicationBuilder(configurationArgs);
        // A verb's own defaults, below every configured source (appsettings, environment, command line).
        if (defaults is not null)
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = defaults });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        // Failures surface as exceptions, reported in one line by CommandLineErrors.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None);
        builder.Services.AddClinical(builder.Configuration);
        configure?.Invoke(builder);
        var host = builder.Build();
        if (withDatabase)
            await ClinicalServices.EnsureDatabaseAsync(host.Services, cancellationToken);
        // A verb that adds services (an Orleans silo) needs them running; the others only resolve services.
        if (configure is not null)
            await host.StartAsync(cancellationToken);
        return host;
    }

    /// <summary>
    /// What a cohort job (screen-cohort, worker) defaults to: note inference for throughput, forward passes side by
    /// side (Clinical:CpuMode).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> CohortDefaults = new Dictionary<string, string?>
    {
        [RiskEngineLoader.CpuModeKey] = "throughput",
    };

    /// <summary>
    /// Adds a silo of the cohort cluster (Clinical:Cluster) to a verb's host: the verb's shards go to the grains.
    /// With <paramref name="aloneWithoutDatabase"/> and no cluster database configured, the silo is a cluster of its
    /// own (<see cref="Features.Cohorts.Cluster.CohortCluster.UseProcessCluster"/>); otherwise it joins the cluster
    /// kept in PostgreSQL, whose connection string must then be set.
    /// </summary>
    public static void AddCohortSilo(HostApplicationBuilder builder, bool aloneWithoutDatabase)
    {
        var options =
            builder
                .Configuration.GetSection(Features.Cohorts.Cluster.CohortClusterOptions.Section)
                .Get<Features.Cohorts.Cluster.CohortClusterOptions>()
            ?? new();
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        // Orleans 10.4's watchdog starts its checking thread before it stamps the component check, so every silo
        // starts by warning that the check "has not completed" for the machine's uptime. Stalls stay reported by the
        // silo's health monitor (thread-pool and timer delays).
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        if (aloneWithoutDatabase && string.IsNullOrEmpty(options.ConnectionString))
            builder.UseOrleans(silo => Features.Cohorts.Cluster.CohortCluster.UseProcessCluster(silo, options));
        else
            builder.UseOrleans(silo => Features.Cohorts.Cluster.CohortCluster.UseCohortCluster(silo, options));
    }

    /// <summary>
    /// Sends a verb's request in a scope of a host without the database, and exits 0; a failure goes on to
    /// <see cref="Verbs.RunAsync"/>, which reports it.
    /// </summary>
    public static async Task<int> SendAsync(
        Func<IMediator, CancellationToken, Task> send,
        CancellationToken cancellationToken,
        string[]? configurationArgs = null
    )
    {
        using var host = await StartAsync(configurationArgs ?? [], cancellationToken, withDatabase: false);
        await using var scope = host.Services.CreateAsyncScope();
        await send(scope.ServiceProvider.GetRequiredService<IMediator>(), cancellationToken);
        return Verbs.Success;
    }
}
