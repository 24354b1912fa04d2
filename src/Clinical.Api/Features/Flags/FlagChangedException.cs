using Clinical.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Flags;

/// <summary>
/// A clinician acted on a flag as it was shown to them, but someone changed it since: what changed, by whom and when
/// (the changes after the version they saw), so that they can look again before acting.
/// </summary>
public sealed class FlagChangedException(string flagId, IReadOnlyList<FlagChange> changes)
    : Exception($"Flag/{flagId} was changed by someone else since it was shown.")
{
    public string FlagId { get; } = flagId;

    public IReadOnlyList<FlagChange> Changes { get; } = changes;

    /// <summary>Refuses when the caller saw another version of the flag than the stored one.</summary>
    public static async Task ThrowIfChangedAsync(
        ClinicalDbContext db,
        StoredScreening stored,
        int? expectedVersion,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(stored);
        if (expectedVersion is null || expectedVersion == stored.Version)
            return;
        var flagId = stored.FlagId ?? "";
        var statusChanges = await db
            .FlagStatusChanges.AsNoTracking()
            .Where(c => c.FlagId == flagId)
            .Select(c => new FlagChange(c.To == "inactive" ? "dismiss" : "reopen", c.Actor, c.ChangedAt, c.ReasonCode))
            .ToListAsync(cancellationToken);
        var reviews = await db
            .ReviewEvents.AsNoTracking()
            .Where(r => r.FlagId == flagId && r.Kind == "confirm")
            .Select(r => new FlagChange(r.Kind, r.Actor, r.At, r.ReasonCode))
            .ToListAsync(cancellationToken);
        var changes = statusChanges.Concat(reviews).OrderByDescending(c => c.At).ToList();
        throw new FlagChangedException(
            flagId,
            changes.Take(Math.Max(1, stored.Version - expectedVersion.Value)).ToList()
        );
    }
}

/// <summary>One change to a flag: dismiss, reopen, confirm or note; who, when, and the coded reason if any.</summary>
public sealed record FlagChange(string Kind, string Actor, DateTimeOffset At, string? ReasonCode);
