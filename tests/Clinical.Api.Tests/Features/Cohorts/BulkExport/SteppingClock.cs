using System.Collections.Concurrent;

namespace Clinical.Api.Tests.Features.Cohorts.BulkExport;

/// <summary>
/// The clock edge for waits: time moves only when the code under test waits (Task.Delay through this provider), by
/// exactly the wait, which returns at once and is recorded. So a test can see that Retry-After was honoured, or that
/// a token outlived by waits was renewed, without waiting, and without timing anything.
/// </summary>
public sealed class SteppingClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    /// <summary>
    /// While set, a wait never ends by itself (only cancellation ends it): "the user presses Ctrl-C here".
    /// </summary>
    public bool HoldWaits { get; set; }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
            return new Stopped();
        Waits.Enqueue(dueTime);
        if (HoldWaits)
            return new Stopped();
        Interlocked.Add(ref _ticks, dueTime.Ticks);
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new Stopped();
    }

    private sealed class Stopped : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose() { }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
