using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Threading.Channels;
using Clinical.Api.Errors;
using Clinical.Api.Features.Screening;
using Clinical.Api.Hosting;
using Clinical.Api.Persistence;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Clinical.Models.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Cohorts.Runs;

/// <summary>
/// The unit of work of a cohort run: screens one shard from its committed cursor to its end through the one
/// <see cref="PatientScreener"/> path, in batches of <see cref="CohortRunOptions.BatchSize"/>. Four stages overlap on
/// consecutive batches, each batch passing through them in order: read and parse the patients (in parallel), score
/// them (one engine batch: rules and tabular in parallel, all their notes in one classifier batch), summarise the
/// flagged ones and serialise the results (off the scoring path), and commit: the batch's lines are appended to the
/// shard's part files and flushed, then its rows, its audit record and the shard's new cursor, counts and part-file
/// lengths are saved in one database transaction. A kill at any point leaves the shard at its last commit.
/// Whatever coordinates a run (one process now; grains owning shards later) calls this per shard.
/// </summary>
public sealed partial class CohortShardScreener(
    IServiceScopeFactory scopes,
    BulkExportReader bulk,
    FhirInputReader reader,
    Summaries.PatientSummaries summaries,
    CohortRunOptions options,
    LimitsOptions limits,
    TimeProvider clock,
    ILogger<CohortShardScreener> logger
)
{
    /// <summary>Screens the rest of the shard; <paramref name="committed"/> hears of every committed batch.</summary>
    public async Task ScreenAsync(
        CohortRun run,
        CohortShard shard,
        Action<CohortCounts> committed,
        CancellationToken cancellationToken
    )
    {
        await using var scope = scopes.CreateAsyncScope();
        var screener = scope.ServiceProvider.GetRequiredService<PatientScreener>();
        var context = new ScreeningContext(run.AsOf, run.ScreenedAt, run.RunId);
        var source = ShardSource.Open(shard, bulk);
        var partsFolder = Path.Combine(run.OutputFolder, CohortFiles.WorkFolder, "parts", $"{shard.Index:D4}");
        using var parts = ShardParts.Open(partsFolder, shard.OffsetsJson);
        var job = new ShardJob(run, shard, context, screener, source, parts);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var read = Channel.CreateBounded<List<ItemWork>>(1);
        var prepared = Channel.CreateBounded<List<ItemWork>>(1);
        var scored = Channel.CreateBounded<List<ItemWork>>(1);
        var finished = Channel.CreateBounded<List<ItemOutput>>(1);
        var stages = new[]
        {
            Task.Run(() => Read(source, shard.Cursor, read.Writer, stop.Token), CancellationToken.None),
            Stage(read.Reader, prepared.Writer, batch => Prepare(job, batch), stop.Token),
            Stage(prepared.Reader, scored.Writer, batch => Score(job, batch), stop.Token),
            Stage(scored.Reader, finished.Writer, batch => Finish(job, batch, stop.Token), stop.Token),
        };
        var lastCommit = Stopwatch.GetTimestamp();
        try
        {
            await foreach (var batch in finished.Reader.ReadAllAsync(stop.Token))
            {
                var elapsed = Stopwatch.GetElapsedTime(lastCommit);
                lastCommit = Stopwatch.GetTimestamp();
                committed(await CommitAsync(job, batch, elapsed));
            }
            await MarkDoneAsync(shard, Stopwatch.GetElapsedTime(lastCommit));
        }
        catch (ChannelClosedException closed) when (closed.InnerException is not null)
        {
            await stop.CancelAsync();
            ExceptionDispatchInfo.Throw(closed.InnerException);
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
        finally
        {
            try
            {
                await Task.WhenAll(stages);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // The stages stopped because the loop above did; its exception is the one that matters.
            }
        }
    }

    /// <summary>Everything one shard's stages share.</summary>
    private sealed record ShardJob(
        CohortRun Run,
        CohortShard Shard,
        ScreeningContext Context,
        PatientScreener Screener,
        ShardSource Source,
        ShardParts Parts
    );

    /// <summary>One item of a shard as it moves through the stages (a patient's lines, or a Bundle file).</summary>
    private sealed class ItemWork(ShardItem item)
    {
        public ShardItem Item { get; } = item;

        public List<InputIssue> Issues { get; } = [];

        public List<PatientRecord> Records { get; } = [];

        public List<ScreenedPatient> Screened { get; } = [];

        /// <summary>The patients screened on the newest of their notes only (over the note budget).</summary>
        public HashSet<string> NotesTrimmed { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, int> Skipped { get; } = new(StringComparer.Ordinal);

        public int Failed { get; set; }

        public void Skip(string reason, int count)
        {
            if (count > 0)
                Skipped[reason] = Skipped.GetValueOrDefault(reason) + count;
        }
    }

    /// <summary>
    /// A screened patient ready to commit: the row, its lines per output file, and whether notes were left out for the
    /// note budget.
    /// </summary>
    private sealed record PatientOutput(
        string Patient,
        StoredScreening Row,
        IReadOnlyList<(string File, string Line)> Lines,
        bool NotesTrimmed
    );

    private sealed record ItemOutput(
        int Failed,
        IReadOnlyDictionary<string, int> Skipped,
        string? IssueLine,
        int Errors,
        IReadOnlyList<PatientOutput> Patients
    );

    private async Task Read(
        ShardSource source,
        int cursor,
        ChannelWriter<List<ItemWork>> output,
        CancellationToken stop
    )
    {
        try
        {
            var batch = new List<ItemWork>(options.BatchSize);
            foreach (var item in source.Items().Skip(cursor))
            {
                stop.ThrowIfCancellationRequested();
                batch.Add(new ItemWork(item));
                if (batch.Count < options.BatchSize)
                    continue;
                await output.WriteAsync(batch, stop);
                batch = new List<ItemWork>(options.BatchSize);
            }
            if (batch.Count > 0)
                await output.WriteAsync(batch, stop);
            output.Complete();
        }
        catch (Exception error)
        {
            output.Complete(error);
            throw;
        }
    }

    private static Task Stage<TIn, TOut>(
        ChannelReader<TIn> input,
        ChannelWriter<TOut> output,
        Func<TIn, TOut> work,
        CancellationToken stop
    ) =>
        Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var batch in input.ReadAllAsync(stop))
                        await output.WriteAsync(work(batch), stop);
                    output.Complete();
                }
                catch (Exception error)
                {
                    output.Complete(error);
                    throw;
                }
            },
            CancellationToken.None
        );

    /// <summary>Stage 1: parse and extract each item's patients, in parallel.</summary>
    private List<ItemWork> Prepare(ShardJob job, List<ItemWork> batch)
    {
        Parallel.ForEach(
            batch,
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism },
            work => Prepare(job, work)
        );
        return batch;
    }

    private void Prepare(ShardJob job, ItemWork work)
    {
        var item = work.Item;
        try
        {
            var resources = job.Source.Parse(item, reader, work.Issues);
            if (resources is null)
            {
                // Nothing usable: the Patient resource(s) the plan counted could not be read.
                work.Failed = item.Patients;
                return;
            }
            var extraction = job.Screener.Extract(resources, job.Context, item.Key);
            work.Issues.AddRange(extraction.Issues);
            var living = PatientScreener.Living(extraction.Patients, item.Key, work.Issues, out var deceased);
            work.Skip(SkipReasons.Deceased, deceased.Count);
            foreach (var record in living)
                Admit(work, record);
            Account(work, extraction.Patients.Count);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogItemFailed(error.GetType().Name, job.Run.RunId, job.Shard.Index, ExceptionTrace.WithoutMessages(error));
            work.Issues.Add(Unexpected(item.Key, "reading", error));
            work.Failed = Math.Max(item.Patients - work.Records.Count, 0);
            work.Records.Clear();
            work.NotesTrimmed.Clear();
        }
    }

    /// <summary>
    /// The note checks of a screening, for one patient of the run: a patient whose notes are over the note budget of
    /// one screening is still screened, on all their structured data and the newest notes that fit, with a warning
    /// (where a request is refused whole, 413); each note that is not scored for another reason (unread, or not in a
    /// language the service scores) is a warning too.
    /// </summary>
    private void Admit(ItemWork work, PatientRecord record)
    {
        var fit = RequestBudgets.FitNotes(record, limits, record.PatientReference);
        if (fit.Warning is { } warning)
        {
            work.Issues.Add(warning);
            work.NotesTrimmed.Add(record.PatientReference);
        }
        work.Issues.AddRange(ScreeningMapping.NoteIssues(fit.Record, work.Item.Key));
        work.Records.Add(fit.Record);
    }

    /// <summary>
    /// Every Patient resource the plan counted ends up screened, skipped or failed: deceased patients were skipped
    /// when extracted; a Patient resource that yielded no record is a duplicate line of the export or was refused.
    /// </summary>
    private static void Account(ItemWork work, int extracted)
    {
        var missing = work.Item.Patients - extracted;
        if (missing <= 0)
            return;
        if (work.Item.Lines is not null && extracted == 1)
            work.Skip(SkipReasons.Duplicate, missing); // the same Patient id on several lines of the export
        else
            work.Failed += missing; // Patient resources the parser refused
    }

    /// <summary>Stage 2: score the batch's patients as one engine batch.</summary>
    private List<ItemWork> Score(ShardJob job, List<ItemWork> batch)
    {
        var patients = batch.SelectMany(w => w.Records.Select(r => (Work: w, Record: r))).ToList();
        IReadOnlyList<ScreenedPatient?> screened;
        try
        {
            screened = job.Screener.Screen(patients.Select(p => p.Record).ToList(), job.Context, options.Parallelism);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // One patient's data broke the batch: score them one by one, so only that patient fails.
            LogBatchFailed(error.GetType().Name, job.Run.RunId, job.Shard.Index, ExceptionTrace.WithoutMessages(error));
            screened = patients.Select(p => ScoreAlone(job, p.Work, p.Record)).ToList();
        }
        for (var i = 0; i < patients.Count; i++)
        {
            if (screened[i] is { } patient)
                patients[i].Work.Screened.Add(patient);
        }
        // The batch's activations are freed; without this glibc keeps each arena's high-water mark (NativeHeap).
        NativeHeap.Release();
        return batch;
    }

    private ScreenedPatient? ScoreAlone(ShardJob job, ItemWork work, PatientRecord record)
    {
        try
        {
            return job.Screener.Screen([record], job.Context)[0];
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogItemFailed(error.GetType().Name, job.Run.RunId, job.Shard.Index, ExceptionTrace.WithoutMessages(error));
            work.Issues.Add(Unexpected(record.PatientReference, "scoring", error));
            work.Failed++;
            return null;
        }
    }

    /// <summary>Stage 3: summaries for flagged patients, rows and lines (in parallel).</summary>
    private List<ItemOutput> Finish(ShardJob job, List<ItemWork> batch, CancellationToken stop)
    {
        var summarise = job.Run.Summaries == SummaryChoice.Flagged;
        // An abstractive summariser holds one model and its caches: one summary at a time.
        var parallelism = summaries.ModelFolder(null) is null ? options.Parallelism : 1;
        var outputs = new ItemOutput[batch.Count];
        Parallel.For(
            0,
            batch.Count,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = stop },
            i =>
            {
                var work = batch[i];
                var patients = work
                    .Screened.Select(p =>
                        summarise && p.Resources.Flag is not null ? job.Screener.Summarize(p, job.Context, stop) : p
                    )
                    .Select(p => Output(p, job.Context, work.NotesTrimmed.Contains(p.Report.PatientReference)))
                    .ToList();
                outputs[i] = new ItemOutput(
                    work.Failed,
                    work.Skipped,
                    IssueLine(job, work),
                    work.Issues.Count(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal),
                    patients
                );
            }
        );
        return [.. outputs];
    }

    private static PatientOutput Output(ScreenedPatient patient, ScreeningContext context, bool notesTrimmed)
    {
        var row = PatientScreener.ToStored(patient, context);
        var lines = new List<(string, string)>
        {
            (CohortFiles.RiskAssessment, row.RiskAssessmentJson),
            (CohortFiles.Provenance, row.ProvenanceJson),
        };
        if (row.FlagJson is not null)
        {
            lines.Add((CohortFiles.Flag, row.FlagJson));
            lines.Add((CohortFiles.FlaggedCsv, FlaggedCsv.Row(patient)));
        }
        if (patient.Resources.Summary is { } summary)
        {
            lines.Add((CohortFiles.DocumentReference, row.SummaryJson!));
            lines.Add((CohortFiles.Provenance, FhirJson.Serialize(summary.Provenance, indented: false)));
        }
        return new PatientOutput(patient.Report.PatientReference, row, lines, notesTrimmed);
    }

    /// <summary>The item's problems as one OperationOutcome line (its id derived like the results' ids).</summary>
    private static string? IssueLine(ShardJob job, ItemWork work)
    {
        if (work.Issues.Count == 0)
            return null;
        var outcome = OperationOutcomeBuilder.From(work.Issues);
        outcome.Id = job.Context.IdsFor(work.Item.Key).For("OperationOutcome");
        job.Context.Tag(outcome);
        return FhirJson.Serialize(outcome, indented: false);
    }

    /// <summary>
    /// Stage 4: the batch's lines to the part files (flushed to disk), then its rows, audit record and the shard's
    /// cursor, counts and part-file lengths in one transaction. A patient the run already stored (the same patient
    /// in two inputs) is skipped as a duplicate.
    /// </summary>
    private async Task<CohortCounts> CommitAsync(ShardJob job, List<ItemOutput> batch, TimeSpan elapsed)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicalDbContext>();
        var staging = scope.ServiceProvider.GetRequiredService<PatientScreener>();
        var references = batch.SelectMany(i => i.Patients.Select(p => p.Patient)).Distinct().ToList();
        var seen = (
            await db
                .Screenings.AsNoTracking()
                .Where(s => s.RunId == job.Run.RunId && references.Contains(s.PatientReference))
                .Select(s => s.PatientReference)
                .ToListAsync(CancellationToken.None)
        ).ToHashSet(StringComparer.Ordinal);

        var shard = await db.CohortShards.SingleAsync(
            s => s.RunId == job.Shard.RunId && s.Index == job.Shard.Index,
            CancellationToken.None
        );
        // Two workers on one shard (a grain activated again elsewhere while its old silo still ran it): the one whose
        // view of the cursor is stale stops before it touches the part files.
        if (shard.Cursor != job.Shard.Cursor)
            throw new ConflictException(
                $"Shard {shard.Index} of run {shard.RunId} was advanced by another worker; this one stops."
            );
        var skipped = JsonSerializer.Deserialize<SortedDictionary<string, int>>(shard.SkippedJson) ?? [];
        var counts = CohortCounts.None;
        var stored = new List<string>();
        foreach (var item in batch)
        {
            if (item.IssueLine is not null)
                job.Parts.Append(CohortFiles.OperationOutcome, item.IssueLine);
            shard.InputErrors += item.Errors;
            foreach (var (reason, count) in item.Skipped)
                skipped[reason] = skipped.GetValueOrDefault(reason) + count;
            counts += new CohortCounts(0, 0, item.Skipped.Values.Sum(), item.Failed);
            foreach (var patient in item.Patients)
            {
                if (!seen.Add(patient.Patient))
                {
                    skipped[SkipReasons.Duplicate] = skipped.GetValueOrDefault(SkipReasons.Duplicate) + 1;
                    counts += new CohortCounts(0, 0, 1, 0);
                    continue;
                }
                foreach (var (file, line) in patient.Lines)
                    job.Parts.Append(file, line);
                staging.Stage(patient.Row);
                stored.Add(patient.Patient);
                counts += new CohortCounts(1, patient.Row.Flagged ? 1 : 0, 0, 0);
                Count(shard, patient.Row.QualitativeRisk);
                if (patient.NotesTrimmed)
                    shard.NotesTrimmed++;
            }
        }
        shard.OffsetsJson = job.Parts.Flush();
        shard.Cursor += batch.Count;
        shard.Screened += counts.Screened;
        shard.Flagged += counts.Flagged;
        shard.Skipped += counts.Skipped;
        shard.Failed += counts.Failed;
        shard.SkippedJson = JsonSerializer.Serialize(skipped);
        shard.ElapsedSeconds += elapsed.TotalSeconds;
        shard.UpdatedAt = clock.GetUtcNow();
        db.AuditRecords.Add(
            new AuditRecord
            {
                Id = Guid.NewGuid(),
                RecordedAt = shard.UpdatedAt,
                Actor = job.Run.Actor,
                Action = "screen-cohort",
                Outcome = "success",
                PatientReferences = string.Join(' ', stored),
                CorrelationId = job.Run.RunId,
            }
        );
        // The patients' earlier results (other runs, one-off screenings) leave the worklist in the same transaction
        // as the batch's rows and cursor: a batch is stored whole or not at all. Everything above (scoring, FHIR,
        // serialisation, the part files) is done without it: the service's other writers wait only for these writes.
        await using var transaction = await WriteTransaction.BeginAsync(db, CancellationToken.None);
        await Dashboard.Attribution.SupersedeAsync(db, stored, CancellationToken.None);
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        job.Shard.Cursor = shard.Cursor;
        return counts;
    }

    private static void Count(CohortShard shard, string level)
    {
        switch (level)
        {
            case "negligible":
                shard.Negligible++;
                break;
            case "low":
                shard.Low++;
                break;
            case "moderate":
                shard.Moderate++;
                break;
            case "high":
                shard.High++;
                break;
            default:
                shard.Certain++;
                break;
        }
    }

    private async Task MarkDoneAsync(CohortShard shard, TimeSpan elapsed)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicalDbContext>();
        var row = await db.CohortShards.SingleAsync(s => s.RunId == shard.RunId && s.Index == shard.Index);
        row.Done = true;
        row.ElapsedSeconds += elapsed.TotalSeconds;
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        shard.Done = true;
    }

    /// <summary>
    /// An unexpected failure for one patient or file: its type only (messages may quote patient data).
    /// </summary>
    private static InputIssue Unexpected(string key, string step, Exception error) =>
        new(
            IssueSeverity.Error,
            "exception",
            $"Screening failed while {step} ({error.GetType().Name}); the error is in the service log.",
            Source: key
        );

    // Logged with the type and stack trace only: messages can quote patient data.
    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "Cohort run {RunId} shard {Shard}: an item failed with {Error}\n{StackTrace}"
    )]
    private partial void LogItemFailed(string error, string runId, int shard, string stackTrace);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Cohort run {RunId} shard {Shard}: batch scoring failed with {Error}; scoring one by one"
            + "\n{StackTrace}"
    )]
    private partial void LogBatchFailed(string error, string runId, int shard, string stackTrace);
}

/// <summary>Why a patient counted in the inputs was not screened (summary.json's skipped reasons).</summary>
public static class SkipReasons
{
    public const string Deceased = "deceased";
    public const string Duplicate = "duplicate";
}

/// <summary>Whether a run writes notes summaries: none, or for flagged patients.</summary>
public static class SummaryChoice
{
    public const string None = "none";
    public const string Flagged = "flagged";

    public static readonly IReadOnlyList<string> All = [None, Flagged];
}
