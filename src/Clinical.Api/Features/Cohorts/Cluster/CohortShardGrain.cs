using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Api.Persistence;
using Microsoft.EntityFrameworkCore;
using Orleans.Runtime;

namespace Clinical.Api.Features.Cohorts.Cluster;

/// <summary>
/// One shard of a cohort run as a work item, keyed "RUN/INDEX". The coordinator calls
/// <see cref="EnsureScreeningAsync"/> until it answers done: the grain starts screening the shard where it was
/// activated and answers when the work ends or the coordinator's poll period has passed. When its silo dies, the
/// next call activates the grain on another silo, which resumes the shard from its last committed batch: nothing is
/// lost and, results being keyed by run and patient, no patient is stored twice.
/// </summary>
public interface ICohortShardGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the shard's work if it is neither running, done nor failed for good, then answers once the work ends or
    /// <paramref name="wait"/> has passed, whichever is first.
    /// </summary>
    Task<ShardWorkStatus> EnsureScreeningAsync(TimeSpan wait);

    /// <summary>Stops the work at its next batch boundary (Ctrl-C or DELETE on the coordinator).</summary>
    Task StopAsync();
}

/// <summary>Where a shard's work stands, as its grain sees it.</summary>
[GenerateSerializer]
public sealed record ShardWorkStatus(
    [property: Id(0)] bool Done,
    [property: Id(1)] SiloAddress? Silo,
    [property: Id(2)] int Attempts,
    [property: Id(3)] string? Error
);

/// <summary>
/// The grain's persisted state: how many times the shard was started and on which silos. The shard's progress itself
/// (cursor, counts, part-file lengths) is in the clinical database, committed with each batch's rows.
/// </summary>
[GenerateSerializer]
public sealed class ShardGrainState
{
    [Id(0)]
    public bool Done { get; set; }

    [Id(1)]
    public int Attempts { get; set; }

    [Id(2)]
    public List<string> Silos { get; set; } = [];

    [Id(3)]
    public string? Error { get; set; }
}

public sealed partial class CohortShardGrain(
    [PersistentState("shard", CohortCluster.Storage)] IPersistentState<ShardGrainState> state,
    IServiceScopeFactory scopes,
    CohortShardScreener screener,
    ILocalSiloDetails silo,
    ILogger<CohortShardGrain> logger
) : Grain, ICohortShardGrain, IDisposable
{
    /// <summary>
    /// A shard that fails this many times fails the run (its error is kept); fewer failures are retried from the last
    /// commit (a busy database, a worker leaving).
    /// </summary>
    public const int MaxAttempts = 5;

    private CancellationTokenSource? _stop;
    private Task? _work;

    public static string Key(string runId, int index) => $"{runId}/{index}";

    public async Task<ShardWorkStatus> EnsureScreeningAsync(TimeSpan wait)
    {
        await SettleAsync();
        if (!state.State.Done && state.State.Error is null && _work is null)
        {
            state.State.Attempts++;
            state.State.Silos.Add(silo.SiloAddress.ToString());
            await state.WriteStateAsync();
            _stop = new CancellationTokenSource();
            var token = _stop.Token;
            var (runId, index) = Parse(this.GetPrimaryKeyString());
            // Off the grain's scheduler: the shard's stages run on the thread pool, as in the local path.
            _work = Task.Run(() => ScreenAsync(runId, index, token), CancellationToken.None);
        }
        if (_work is { } work && wait > TimeSpan.Zero)
        {
            await Task.WhenAny(work, Task.Delay(wait));
            await SettleAsync();
        }
        return new ShardWorkStatus(state.State.Done, silo.SiloAddress, state.State.Attempts, state.State.Error);
    }

    /// <summary>Once the work has ended: done, or failed for good after <see cref="MaxAttempts"/>.</summary>
    private async Task SettleAsync()
    {
        if (_work is not { IsCompleted: true } finished)
            return;
        _work = null;
        if (finished.IsCompletedSuccessfully)
            state.State.Done = true;
        else if (state.State.Attempts >= MaxAttempts)
            state.State.Error = finished.Exception?.GetBaseException().GetType().Name ?? "cancelled";
        await state.WriteStateAsync();
    }

    public async Task StopAsync()
    {
        if (_stop is not null)
            await _stop.CancelAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A silo shutting down stops the shard at a batch boundary; the grain's next activation resumes it.
        if (_stop is not null)
            await _stop.CancelAsync();
        var key = this.GetPrimaryKeyString();
        if (_work is not null)
        {
            try
            {
                await _work.WaitAsync(cancellationToken);
            }
            catch (Exception error) when (error is OperationCanceledException or TimeoutException)
            {
                LogStopped(key);
            }
        }
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public void Dispose() => _stop?.Dispose();

    private async Task ScreenAsync(string runId, int index, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicalDbContext>();
        var run = await db.CohortRuns.AsNoTracking().SingleAsync(r => r.RunId == runId, cancellationToken);
        var shard = await db
            .CohortShards.AsNoTracking()
            .SingleAsync(s => s.RunId == runId && s.Index == index, cancellationToken);
        if (shard.Done)
            return;
        try
        {
            await screener.ScreenAsync(run, shard, _ => { }, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogFailed(error.GetType().Name, Key(runId, index));
            throw;
        }
    }

    private static (string RunId, int Index) Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        return (key[..slash], int.Parse(key[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Cohort shard {Shard} failed ({Error}); it will be retried.")]
    private partial void LogFailed(string error, string shard);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cohort shard {Shard} stopped with its silo.")]
    private partial void LogStopped(string shard);
}
