namespace Clinical.Api.Persistence;

/// <summary>
/// One cohort screening run (screen-cohort, $hf-screen-cohort): what it screens, how, where its files go, and how far
/// it got. Its shards (<see cref="CohortShard"/>) are the units of work; a shard's results, its progress and its
/// output offsets are committed in one transaction per batch, so a killed run resumes exactly where it stopped.
/// </summary>
public sealed class CohortRun
{
    public const int MaxIdLength = 64;

    /// <summary>
    /// The run id, also the meta.tag code on every resource the run emits (letters, digits, '-', '.').
    /// </summary>
    public required string RunId { get; set; }

    /// <summary>queued, running, interrupted, completed, failed or cancelled.</summary>
    public required string Status { get; set; }

    /// <summary>Who started it: cli (the verb) or http (the asynchronous operation, resumed by the service).</summary>
    public required string Origin { get; set; }

    public required string Actor { get; set; }

    /// <summary>The request as the manifest names it (the kick-off URL, or the command line).</summary>
    public required string Request { get; set; }

    /// <summary>The inputs as given (JSON array of full paths).</summary>
    public required string InputsJson { get; set; }

    /// <summary>
    /// SHA-256 of the inputs' file names, sizes and modification times: a resume refuses changed inputs.
    /// </summary>
    public string? InputFingerprint { get; set; }

    /// <summary>The run's folder: its NDJSON files, manifest, summary and CSV (full path).</summary>
    public required string OutputFolder { get; set; }

    public DateOnly AsOf { get; set; }

    /// <summary>none or flagged.</summary>
    public required string Summaries { get; set; }

    /// <summary>The instant every result of the run carries (RiskAssessment.occurrence, Provenance.recorded).</summary>
    public DateTimeOffset ScreenedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Seconds spent working, summed over the sessions of a resumed run.</summary>
    public double ElapsedSeconds { get; set; }

    /// <summary>True once the shards are written and recorded (the plan is committed with them).</summary>
    public bool Planned { get; set; }

    /// <summary>
    /// Patients found in the inputs when planning (Patient resources; Bundles counted entry by entry).
    /// </summary>
    public int PatientsPlanned { get; set; }

    /// <summary>
    /// What planning found in the inputs (files skipped, unreadable lines): NDJSON OperationOutcome lines.
    /// </summary>
    public string PlanIssues { get; set; } = "";

    /// <summary>Errors among the plan's issues (the inputs' files and lines that could not be used).</summary>
    public int PlanErrors { get; set; }

    /// <summary>Set by DELETE on the status URL; the running job stops at its next batch.</summary>
    public bool CancelRequested { get; set; }

    /// <summary>Why the run failed (one line, no patient data).</summary>
    public string? Error { get; set; }
}

/// <summary>
/// A shard of a run: some of its patients (a bucket of a partitioned Bulk export, or a range of Bundle files), worked
/// through in batches. Cursor counts the shard's patient groups already done (screened, skipped or failed) and the
/// offsets are the lengths its part files had at that point, both committed with the batch's rows.
/// </summary>
public sealed class CohortShard
{
    public required string RunId { get; set; }

    public int Index { get; set; }

    /// <summary>
    /// bulk (Source = the shard's lines file, Input = the export folder) or files (Source = the list).
    /// </summary>
    public required string Kind { get; set; }

    public required string Input { get; set; }

    public required string Source { get; set; }

    public int Patients { get; set; }

    public int Cursor { get; set; }

    public bool Done { get; set; }

    public int Screened { get; set; }

    public int Flagged { get; set; }

    public int Negligible { get; set; }

    public int Low { get; set; }

    public int Moderate { get; set; }

    public int High { get; set; }

    public int Certain { get; set; }

    /// <summary>
    /// Screened patients whose notes were over the note budget: screened on the newest notes that fit.
    /// </summary>
    public int NotesTrimmed { get; set; }

    public int Skipped { get; set; }

    /// <summary>Skipped patients per reason (JSON object).</summary>
    public string SkippedJson { get; set; } = "{}";

    public int Failed { get; set; }

    /// <summary>
    /// Issues of severity error or fatal written to OperationOutcome.ndjson (lines or entries left out).
    /// </summary>
    public int InputErrors { get; set; }

    /// <summary>The committed length of each part file (JSON object: file name → bytes).</summary>
    public string OffsetsJson { get; set; } = "{}";

    /// <summary>Seconds spent on this shard, summed over sessions (for the run's patients per second).</summary>
    public double ElapsedSeconds { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
