using System.Net;
using Npgsql;
using Orleans.Configuration;

namespace Clinical.Api.Features.Cohorts.Cluster;

/// <summary>Settings under "Clinical:Cluster": the Orleans cluster cohort workers join.</summary>
public sealed class CohortClusterOptions
{
    public const string Section = "Clinical:Cluster";

    /// <summary>PostgreSQL holding the cluster's membership and the shard grains' state (the Orleans tables).</summary>
    public string? ConnectionString { get; set; }

    public string ClusterId { get; set; } = "clinical-cohorts";

    public string ServiceId { get; set; } = "clinical";

    /// <summary>The address other silos reach this one at (default: this host's first IPv4 address).</summary>
    public string? AdvertisedAddress { get; set; }

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Shards a coordinator keeps at work at once across the cluster.</summary>
    public int ShardsInFlight { get; set; } = 8;

    /// <summary>How often the coordinator polls the shard grains and reads progress.</summary>
    public int PollMilliseconds { get; set; } = 1000;
}

/// <summary>
/// A silo of the cohort cluster: ADO.NET clustering and grain storage in PostgreSQL (Npgsql), and the grain-based
/// shard workers in place of the local ones. The Orleans tables are created by the scripts Orleans publishes for
/// PostgreSQL (<see cref="Scripts"/>), applied once with <see cref="ApplyScriptsAsync"/> (worker --orleans-sql DIR).
/// </summary>
public static class CohortCluster
{
    /// <summary>The grain storage the shard grains persist to.</summary>
    public const string Storage = "cohort";

    /// <summary>The ADO.NET invariant Orleans loads the PostgreSQL driver by.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// The scripts in the order Orleans documents them (main first): from the Orleans repository at the release in use
    /// (src/AdoNet/Shared/PostgreSQL-Main.sql, src/AdoNet/Orleans.Clustering.AdoNet/PostgreSQL-Clustering.sql,
    /// src/AdoNet/Orleans.Persistence.AdoNet/PostgreSQL-Persistence.sql); the NuGet packages do not carry them.
    /// </summary>
    public static readonly string[] Scripts =
    [
        "PostgreSQL-Main.sql",
        "PostgreSQL-Clustering.sql",
        "PostgreSQL-Persistence.sql",
    ];

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
        silo.Services.AddCohortGrains();
        return silo;
    }

    /// <summary>
    /// Creates the Orleans tables from the scripts in <paramref name="folder"/>, unless the database has them already
    /// (the scripts are not written to run twice).
    /// </summary>
    public static async Task<bool> ApplyScriptsAsync(
        string connectionString,
        string folder,
        CancellationToken cancellationToken
    )
    {
        var missing = Scripts.Where(s => !File.Exists(Path.Combine(folder, s))).ToList();
        if (missing.Count > 0)
            throw new FileNotFoundException(
                $"{folder} lacks {string.Join(", ", missing)} (the Orleans scripts for PostgreSQL; see README)."
            );
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('orleansquery') IS NOT NULL", connection))
        {
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
                return false;
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var script in Scripts)
        {
            var text = await File.ReadAllTextAsync(Path.Combine(folder, script), cancellationToken);
            await using var command = new NpgsqlCommand(text, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
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
