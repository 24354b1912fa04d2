using Clinical.Api.Hosting;
using Mediator;

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
        Action<HostApplicationBuilder>? configure = null
    )
    {
        var builder = Host.CreateApplicationBuilder(configurationArgs);
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
    /// Adds a silo of the cohort cluster (Clinical:Cluster) to a verb's host: the verb's shards go to the grains.
    /// </summary>
    public static void AddCohortSilo(HostApplicationBuilder builder)
    {
        var options =
            builder
                .Configuration.GetSection(Features.Cohorts.Cluster.CohortClusterOptions.Section)
                .Get<Features.Cohorts.Cluster.CohortClusterOptions>()
            ?? new();
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
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
