using Npgsql;

namespace Clinical.Api.Features.Cohorts.Cluster;

/// <summary>What applying the schema changed; nothing once a database is up to date.</summary>
public sealed record OrleansSchemaChanges(bool TablesCreated, int QueriesWritten);

/// <summary>
/// Readies a PostgreSQL database for the cohort cluster: our tables (OrleansSchema.sql) when one is missing, and the
/// providers' queries (<see cref="OrleansQueries"/>) where OrleansQuery lacks them or holds other texts (an older
/// release, or Orleans' own scripts). Silos starting at once take turns on a transaction-scoped advisory lock: CREATE
/// TABLE IF NOT EXISTS fails when another session creates the same table at the same moment, and no silo should read
/// half-written queries. A database already up to date is only read, so silos may then run under a role that can
/// read and write rows but not create tables (PostgreSQL 15 and later deny CREATE on schema public to such roles).
/// </summary>
public static class OrleansSchema
{
    /// <summary>The advisory lock's key: a constant nothing else in the database locks on ("ORLS" in ASCII).</summary>
    public const long LockKey = 0x4F524C53;

    /// <summary>The tables whose absence makes <see cref="ApplyAsync"/> run OrleansSchema.sql.</summary>
    public static readonly string[] Tables =
    [
        "orleansquery",
        "orleans_membership_version",
        "orleans_membership",
        "orleans_grain_state",
    ];

    public static async Task<OrleansSchemaChanges> ApplyAsync(
        string connectionString,
        CancellationToken cancellationToken
    )
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var wait = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({LockKey})", connection, transaction))
            await wait.ExecuteNonQueryAsync(cancellationToken);

        var create = await AnyTableMissingAsync(connection, transaction, cancellationToken);
        if (create)
        {
            await using var tables = new NpgsqlCommand(await ReadScriptAsync(), connection, transaction);
            await tables.ExecuteNonQueryAsync(cancellationToken);
        }
        var stored = await StoredQueriesAsync(connection, transaction, cancellationToken);
        var outdated = OrleansQueries.All.Where(q => stored.GetValueOrDefault(q.Key) != q.Value).ToList();
        foreach (var (key, text) in outdated)
        {
            await using var upsert = new NpgsqlCommand(
                "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text) "
                    + "ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText",
                connection,
                transaction
            );
            upsert.Parameters.AddWithValue("key", key);
            upsert.Parameters.AddWithValue("text", text);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new OrleansSchemaChanges(create, outdated.Count);
    }

    private static async Task<bool> AnyTableMissingAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM unnest(@tables) AS t(name) WHERE to_regclass(t.name) IS NULL",
            connection,
            transaction
        );
        command.Parameters.AddWithValue("tables", Tables);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    private static async Task<Dictionary<string, string>> StoredQueriesAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            "SELECT QueryKey, QueryText FROM OrleansQuery",
            connection,
            transaction
        );
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
            stored[reader.GetString(0)] = reader.GetString(1);
        return stored;
    }

    private static async Task<string> ReadScriptAsync()
    {
        var name = $"{typeof(OrleansSchema).Namespace}.OrleansSchema.sql";
        await using var stream =
            typeof(OrleansSchema).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}

/// <summary>
/// Applies <see cref="OrleansSchema"/> as a silo's first start step, before the ADO.NET providers read OrleansQuery
/// (membership at RuntimeGrainServices, grain storage at ApplicationServices), so no operator runs scripts first.
/// </summary>
internal sealed class OrleansSchemaStep(string connectionString) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(
            nameof(OrleansSchema),
            ServiceLifecycleStage.First,
            cancellationToken => OrleansSchema.ApplyAsync(connectionString, cancellationToken)
        );
}
