using System.Text.Json;
using System.Text.Json.Serialization;
using Clinical.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Cohorts.Runs;

/// <summary>
/// summary.json: what a run did, final or as it stood when it was interrupted or failed. Patients read are the Patient
/// resources found in the inputs; each is screened, skipped (with the reason) or failed, or not reached yet. Input
/// errors are the error issues in OperationOutcome.ndjson (unreadable lines and files, entries left out).
/// </summary>
public sealed record CohortRunSummary(
    string RunId,
    string Status,
    DateOnly AsOf,
    DateTimeOffset ScreenedAt,
    IReadOnlyList<string> Inputs,
    PatientTally Patients,
    int InputErrors,
    double ElapsedSeconds,
    double PatientsPerSecond,
    string? Error
)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    public static CohortRunSummary FromJson(string json) =>
        JsonSerializer.Deserialize<CohortRunSummary>(json, Json) ?? throw new JsonException("Empty summary.");

    /// <summary>The run's summary from its committed state.</summary>
    public static async Task<CohortRunSummary> LoadAsync(
        ClinicalDbContext db,
        CohortRun run,
        CancellationToken cancellationToken
    )
    {
        var shards = await db
            .CohortShards.AsNoTracking()
            .Where(s => s.RunId == run.RunId)
            .ToListAsync(cancellationToken);
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal)
        {
            [SkipReasons.Deceased] = 0,
            [SkipReasons.Duplicate] = 0,
        };
        foreach (var shard in shards)
        {
            foreach (
                var (reason, count) in JsonSerializer.Deserialize<Dictionary<string, int>>(shard.SkippedJson) ?? []
            )
                skipped[reason] = skipped.GetValueOrDefault(reason) + count;
        }
        var screened = shards.Sum(s => s.Screened);
        var failed = shards.Sum(s => s.Failed);
        var done = screened + skipped.Values.Sum() + failed;
        var elapsed = run.ElapsedSeconds + shards.Sum(s => s.ElapsedSeconds);
        return new CohortRunSummary(
            run.RunId,
            run.Status,
            run.AsOf,
            run.ScreenedAt,
            CohortPlanner.Inputs(run),
            new PatientTally(
                run.PatientsPlanned,
                done,
                screened,
                shards.Sum(s => s.Flagged),
                shards.Sum(s => s.NotesTrimmed),
                new LevelTally(
                    shards.Sum(s => s.Negligible),
                    shards.Sum(s => s.Low),
                    shards.Sum(s => s.Moderate),
                    shards.Sum(s => s.High),
                    shards.Sum(s => s.Certain)
                ),
                new SkipTally(skipped.Values.Sum(), skipped),
                failed,
                Math.Max(0, run.PatientsPlanned - done)
            ),
            run.PlanErrors + shards.Sum(s => s.InputErrors),
            Math.Round(elapsed, 1),
            elapsed > 0 ? Math.Round(done / elapsed, 1) : 0,
            run.Error
        );
    }
}

/// <summary>
/// NotesTrimmed: patients screened on all their structured data but only the newest of their notes, the rest being
/// over the note budget of one screening (Clinical:Limits:MaxNotes, MaxNoteCharacters; a warning each).
/// </summary>
public sealed record PatientTally(
    int Read,
    int Done,
    int Screened,
    int Flagged,
    int NotesTrimmed,
    LevelTally ByLevel,
    SkipTally Skipped,
    int Failed,
    int NotReached
);

public sealed record LevelTally(int Negligible, int Low, int Moderate, int High, int Certain);

public sealed record SkipTally(int Total, IReadOnlyDictionary<string, int> Reasons);
