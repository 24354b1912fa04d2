using Clinical.Api.Tests.Persistence;
using Npgsql;

namespace Clinical.Api.Tests.Features.Cohorts.Cluster;

/// <summary>
/// A new, empty PostgreSQL database on the server CLINICAL_TEST_POSTGRES names (its role needs CREATEDB), dropped on
/// dispose. Made by a test marked <see cref="PostgresFactAttribute"/>, which skips without the variable.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _admin;

    private ScratchDatabase(string admin, string connectionString)
    {
        _admin = admin;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync(string prefix)
    {
        var admin =
            Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)
            ?? throw new InvalidOperationException($"{PostgresFactAttribute.Variable} is not set.");
        var database = new NpgsqlConnectionStringBuilder(admin) { Database = $"{prefix}_{Guid.NewGuid():N}" };
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Database}\"", connection);
        await create.ExecuteNonQueryAsync();
        return new ScratchDatabase(admin, database.ConnectionString);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var pooled = new NpgsqlConnection(ConnectionString))
            NpgsqlConnection.ClearPool(pooled);
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
