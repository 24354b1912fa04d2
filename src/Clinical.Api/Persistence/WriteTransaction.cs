using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Clinical.Api.Persistence;

/// <summary>
/// A database transaction that writes. On SQLite it holds the process's write turn (<see cref="SqliteWriteGate"/>)
/// for its whole length, so the service's other writers queue at the gate while it runs rather than meet SQLite's lock;
/// they wait as long as it lasts, so prepare everything before it and keep only the writes inside.
/// </summary>
public sealed class WriteTransaction : IAsyncDisposable
{
    private readonly IDbContextTransaction _transaction;
    private readonly IDisposable? _turn;

    private WriteTransaction(IDbContextTransaction transaction, IDisposable? turn)
    {
        _transaction = transaction;
        _turn = turn;
    }

    public static async Task<WriteTransaction> BeginAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var gate = db.GetService<IDbContextOptions>()
            .FindExtension<CoreOptionsExtension>()
            ?.Interceptors?.OfType<SqliteWriteGate>()
            .SingleOrDefault();
        var turn = gate is null ? null : await gate.TakeTurnAsync(db, cancellationToken);
        try
        {
            return new WriteTransaction(await db.Database.BeginTransactionAsync(cancellationToken), turn);
        }
        catch
        {
            turn?.Dispose();
            throw;
        }
    }

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    /// <summary>Rolls back what was not committed, then gives the write turn back.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _transaction.DisposeAsync();
        }
        finally
        {
            _turn?.Dispose();
        }
    }
}
