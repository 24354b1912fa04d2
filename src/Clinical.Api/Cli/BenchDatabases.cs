using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Clinical.Api.Features.Cohorts.Cluster;
using Clinical.Api.Hosting;
using Npgsql;

namespace Clinical.Api.Cli;

/// <summary>
/// `bench cohort --postgres`: two new databases on the server named, one for the results (Clinical:DatabaseProvider
/// postgres) and one for the cohort cluster, handed to every process of a run through environment variables and
/// dropped afterwards, so each run starts from nothing as with a fresh SQLite file.
/// </summary>
internal sealed class BenchDatabases : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string[] _names;

    private BenchDatabases(string admin, string[] names)
    {
        _admin = admin;
        _names = names;
    }

    public static async Task<BenchDatabases> CreateAsync(string admin, CancellationToken cancellationToken)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var databases = new BenchDatabases(admin, [$"bench_results_{suffix}", $"bench_cluster_{suffix}"]);
        foreach (var name in databases._names)
            await databases.ExecuteAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
        return databases;
    }

    /// <summary>
    /// The settings every process of the run reads: the results database, the cluster (its id unique to the run,
    /// silos advertised on the loopback address) and the screen-cohort silo's own free ports.
    /// </summary>
    public Dictionary<string, string> Environment(string clusterId) =>
        new(StringComparer.Ordinal)
        {
            [$"{ClinicalOptions.Section}__DatabaseProvider"] = "postgres",
            ["ConnectionStrings__Clinical"] = ConnectionString(_names[0]),
            [Setting(nameof(CohortClusterOptions.ConnectionString))] = ConnectionString(_names[1]),
            [Setting(nameof(CohortClusterOptions.ClusterId))] = clusterId,
            [Setting(nameof(CohortClusterOptions.AdvertisedAddress))] = IPAddress.Loopback.ToString(),
            [Setting(nameof(CohortClusterOptions.SiloPort))] = FreePort(),
            [Setting(nameof(CohortClusterOptions.GatewayPort))] = FreePort(),
        };

    /// <summary>A TCP port free on this machine now.</summary>
    public static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var name in _names)
            await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None);
    }

    private static string Setting(string name) =>
        $"{CohortClusterOptions.Section.Replace(":", "__", StringComparison.Ordinal)}__{name}";

    private string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(_admin) { Database = database }.ConnectionString;

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
