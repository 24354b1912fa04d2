using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Clinical.Api.Persistence;

/// <summary>
/// SQLite has one writer at a time; concurrent SaveChanges otherwise meet SQLITE_BUSY and back off in sleeps (long tail
/// latencies). This gate queues this process's writes instead: each SaveChanges, and each
/// <see cref="WriteTransaction"/> from before its BEGIN to after its end. Not used with PostgreSQL.
/// </summary>
/// <remarks>
/// A transaction takes its turn before it begins because SQLite takes the write lock at BEGIN (Microsoft.Data.Sqlite
/// begins IMMEDIATE): one that began first and queued here only for its SaveChanges held the lock while the writer
/// ahead of it, holding the turn, waited for the lock, and both waited out the busy timeout (30 s).
/// </remarks>
public sealed class SqliteWriteGate : SaveChangesInterceptor, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The context whose transaction holds the turn: its SaveChanges go through without queueing.</summary>
    private DbContext? _holder;

    public void Dispose() => _gate.Dispose();

    /// <summary>Waits for the turn and holds it for <paramref name="context"/> until the result is disposed.</summary>
    internal async Task<IDisposable> TakeTurnAsync(DbContext context, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        Volatile.Write(ref _holder, context);
        return new Turn(this);
    }

    private sealed class Turn(SqliteWriteGate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
                return;
            Volatile.Write(ref gate._holder, null);
            gate._gate.Release();
        }
    }

    // Only the holder's own calls find it here, so a stale read by another context still queues that context.
    private bool Holds(DbContext? context) =>
        context is not null && ReferenceEquals(Volatile.Read(ref _holder), context);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (!Holds(eventData.Context))
            _gate.Wait();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData,
        InterceptionResult<int> result,
        CancellationToken cancellationToken = default
    )
    {
        if (!Holds(eventData.Context))
            await _gate.WaitAsync(cancellationToken);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Leave(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData,
        int result,
        CancellationToken cancellationToken = default
    )
    {
        Leave(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Leave(eventData.Context);

    public override Task SaveChangesFailedAsync(
        DbContextErrorEventData eventData,
        CancellationToken cancellationToken = default
    )
    {
        Leave(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Leave(eventData.Context);

    public override Task SaveChangesCanceledAsync(
        DbContextEventData eventData,
        CancellationToken cancellationToken = default
    )
    {
        Leave(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>A SaveChanges ends: it gives the turn back unless its context's transaction holds it.</summary>
    private void Leave(DbContext? context)
    {
        if (!Holds(context))
            _gate.Release();
    }
}
