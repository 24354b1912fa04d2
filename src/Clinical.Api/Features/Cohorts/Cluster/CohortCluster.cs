using System.Net;
using Orleans.Configuration;

namespace Clinical.Api.Features.Cohorts.Cluster;

/// <summary>Settings under "Clinical:Cluster": the Orleans cluster cohort workers join.</summary>
public sealed class CohortClusterOptions
{
    public const string Section = "Clinical:Cluster";

    /// <summary>
    /// PostgreSQL holding the cluster's membership and the shard grains' state (tables a silo creates when absent).
    /// </summary>
    public string? ConnectionString { get; set; }

    public string ClusterId { get; set; } = "clinical-cohorts";

    public string ServiceId { get; set; } = "clinical";

    /// <summary>The address other silos reach this one at (default: this host's first IPv4 address).</summary>
    public string? AdvertisedAddress { get; set; }

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// PKCS#12 file of the cluster's certificate with its private key, the same on every silo: set, silos talk mutual
    /// TLS and admit only peers presenting it (<see cref="ClusterCertificate"/>); unset, plain TCP.
    /// </summary>
    public string? Certificate { get; set; }

    /// <summary>The certificate file's password (better from the environment than from a file).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Shards a coordinator keeps at work at once across the cluster; 0 (the default) is one per active silo. A shard
    /// already uses a silo's cores (its batches' forward passes run side by side), so more than one per silo only adds
    /// memory (each holds its own batches) and contention.
    /// </summary>
    public int ShardsInFlight { get; set; }

    /// <summary>
    /// Longest a shard's grain holds the coordinator's poll while the shard works (it answers at once when the shard
    /// ends); the coordinator reads progress after each round of polls.
    /// </summary>
    public int PollMilliseconds { get; set; } = 1000;
}

/// <summary>
/// A silo of the cohort cluster: ADO.NET clustering and grain storage in PostgreSQL (Npgsql), and the grain-based
/// shard workers in place of the local ones. The silo creates the tables and queries the providers need when the
/// database lacks them (<see cref="OrleansSchema"/>, its first start step): operators run no scripts.
/// </summary>
public static class CohortCluster
{
    /// <summary>The grain storage the shard grains persist to.</summary>
    public const string Storage = "cohort";

    /// <summary>The ADO.NET invariant Orleans loads the PostgreSQL driver by.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>Swaps the local shard workers for the grains; call on a host that runs a silo.</summary>
    public static IServiceCollection AddCohortGrains(this IServiceCollection services)
    {
        services.AddSingleton<ClusterShardWorkers>();
        services.AddSingleton<IShardWorkers>(provider => provider.GetRequiredService<ClusterShardWorkers>());
        return services;
    }

    /// <summary>Joins the PostgreSQL-kept cluster the options name.</summary>
    public static ISiloBuilder UseCohortCluster(this ISiloBuilder silo, CohortClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        var connection =
            options.ConnectionString
            ?? throw new InvalidOperationException(
                $"{CohortClusterOptions.Section}:ConnectionString is not set: name the PostgreSQL database that "
                    + "keeps the cluster."
            );
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new OrleansSchemaStep(connection));
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connection;
        });
        silo.AddAdoNetGrainStorage(
            Storage,
            o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connection;
            }
        );
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        silo.ConfigureEndpoints(
            Advertised(options),
            options.SiloPort,
            options.GatewayPort,
            listenOnAnyHostAddress: true
        );
        UseClusterTls(silo, options);
        silo.Services.AddCohortGrains();
        return silo;
    }

    /// <summary>Mutual TLS on the silo's connections when the options name the cluster's certificate.</summary>
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, CohortClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Certificate is not { Length: > 0 } path)
            return silo;
        var certificate = ClusterCertificate.Load(path, options.CertificatePassword);
        return silo.UseTls(certificate, tls => ClusterCertificate.Configure(tls, certificate));
    }

    /// <summary>
    /// A cluster of this process alone: a silo on the loopback ports the options name (localhost clustering), the
    /// grains' state in memory. What `screen-cohort --cluster` runs when no PostgreSQL is named: the grain path with
    /// nothing to set up. A shard's progress is in the clinical database either way, so such a run resumes as any.
    /// </summary>
    public static ISiloBuilder UseProcessCluster(this ISiloBuilder silo, CohortClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        silo.UseLocalhostClustering(
            options.SiloPort,
            options.GatewayPort,
            serviceId: options.ServiceId,
            clusterId: options.ClusterId
        );
        silo.AddMemoryGrainStorage(Storage);
        UseClusterTls(silo, options);
        silo.Services.AddCohortGrains();
        return silo;
    }

    private static IPAddress Advertised(CohortClusterOptions options)
    {
        if (options.AdvertisedAddress is { Length: > 0 } text)
            return IPAddress.TryParse(text, out var parsed)
                ? parsed
                : Dns.GetHostAddresses(text)
                    .First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
        return Dns.GetHostAddresses(Dns.GetHostName())
                .FirstOrDefault(a =>
                    a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)
                )
            ?? IPAddress.Loopback;
    }
}
