using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Clinical.Api.Persistence;

/// <summary>
/// Serialises the creation of one PostgreSQL database between processes (workers of a cohort cluster starting at
/// once), as the lock file does for SQLite: without it two processes both saw no tables and both created them, and
/// one failed ("relation already exists") or stamped the schema version twice. The lock is a session advisory lock
/// taken in the server's maintenance database, because the database being created may not exist yet and a database
/// cannot be dropped (an interrupted creation is made again) while a session holds it open. Advisory locks belong to
/// the database they are taken in, so every process locks in the same one, on a key derived from the target's name.
/// </summary>
internal sealed class PostgresCreationLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private PostgresCreationLock(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    public static async Task<PostgresCreationLock> TakeAsync(string connectionString, CancellationToken cancellation)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var key = KeyOf(target.Database ?? target.Username ?? "");
        // The maintenance database EF Core's creator connects to as well: postgres, else template1.
        NpgsqlConnection connection;
        try
        {
            connection = await OpenAsync(connectionString, "postgres", cancellation);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            connection = await OpenAsync(connectionString, "template1", cancellation);
        }
        try
        {
            await using var wait = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            wait.Parameters.AddWithValue("key", key);
            await wait.ExecuteNonQueryAsync(cancellation);
            return new PostgresCreationLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(
        string connectionString,
        string database,
        CancellationToken cancellation
    )
    {
        // Unpooled: a pooled connection would go back to the pool still holding the session lock.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Database = database, Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellation);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A 64-bit key per database name ("clinical-create:" + name, SHA-256's first 8 bytes).</summary>
    public static long KeyOf(string database) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("clinical-create:" + database)), 0);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", _connection);
            release.Parameters.AddWithValue("key", _key);
            await release.ExecuteNonQueryAsync();
        }
        finally
        {
            // Closing an unpooled connection ends the session, which releases the lock in any case.
            await _connection.DisposeAsync();
        }
    }
}
