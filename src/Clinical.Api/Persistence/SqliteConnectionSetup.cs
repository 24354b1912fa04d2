using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Clinical.Api.Persistence;

/// <summary>
/// Per SQLite connection: WAL's synchronous=NORMAL (a commit is durable against a process crash and needs no fsync; an
/// OS crash or power loss may lose the last commits, never corrupt the file) and a busy timeout for writers of other
/// processes (this process's writers queue at <see cref="SqliteWriteGate"/>). SQLite's busy handler waits up to 5 s,
/// and Microsoft.Data.Sqlite retries a busy statement until the command timeout (30 s by default, Default Timeout in
/// the connection string), so that is the longest a write waits. The database is in WAL mode (set when it is created
/// or opened, ClinicalServices.EnsureDatabaseAsync): readers never wait for the writer. PostgreSQL is the choice where
/// every commit must survive power loss.
/// </summary>
public sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection,
        ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default
    )
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
