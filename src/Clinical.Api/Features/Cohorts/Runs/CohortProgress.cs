namespace Clinical.Api.Features.Cohorts.Runs;

/// <summary>Patients a batch (or a run so far) got through: done = screened + skipped + failed.</summary>
public sealed record CohortCounts(int Screened, int Flagged, int Skipped, int Failed)
{
    public static readonly CohortCounts None = new(0, 0, 0, 0);

    public int Done => Screened + Skipped + Failed;

    public static CohortCounts operator +(CohortCounts a, CohortCounts b) =>
        new(a.Screened + b.Screened, a.Flagged + b.Flagged, a.Skipped + b.Skipped, a.Failed + b.Failed);

    public static CohortCounts operator -(CohortCounts a, CohortCounts b) =>
        new(a.Screened - b.Screened, a.Flagged - b.Flagged, a.Skipped - b.Skipped, a.Failed - b.Failed);
}

/// <summary>
/// Where a run stands, reported after planning and after every committed batch: the totals over all its shards, and
/// this session's rate (a resumed run counts only what it did since it resumed).
/// </summary>
public sealed record CohortProgress(
    string RunId,
    int Patients,
    CohortCounts Total,
    CohortCounts Session,
    TimeSpan SessionElapsed
)
{
    public int NotReached => Math.Max(0, Patients - Total.Done);

    public double PatientsPerSecond => SessionElapsed.TotalSeconds > 0 ? Session.Done / SessionElapsed.TotalSeconds : 0;

    /// <summary>Time left at this session's rate; null until there is a rate.</summary>
    public TimeSpan? Remaining => PatientsPerSecond > 0 ? TimeSpan.FromSeconds(NotReached / PatientsPerSecond) : null;
}
