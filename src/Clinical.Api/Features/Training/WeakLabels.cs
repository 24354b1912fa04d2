using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Training;

namespace Clinical.Api.Features.Training;

/// <summary>
/// One patient turned into a training example, with the cut and the notes it used (for audit and tests).
/// </summary>
public sealed record WeakLabelExample(
    LabelledNote Example,
    DateOnly Cut,
    DateOnly? Diagnosed,
    IReadOnlyList<ClinicalNote> Notes
)
{
    /// <summary>The patient's recorded sex (for results by subgroup).</summary>
    public Sex Sex { get; init; }

    /// <summary>Age in whole years at the cut, when the birth date is recorded.</summary>
    public int? AgeYears { get; init; }
}

/// <summary>What the mapping kept and why patients were left out.</summary>
public sealed record WeakLabelSet(
    IReadOnlyList<WeakLabelExample> Examples,
    int UndatedDiagnoses,
    int WithoutNotesBeforeCut,
    IReadOnlyList<InputIssue> Issues
)
{
    public IReadOnlyList<LabelledNote> Notes => Examples.Select(e => e.Example).ToList();

    public string Describe(string source) =>
        $"{source}: FHIR weak labels ({Examples.Count} patients; "
        + $"{Examples.Count(e => e.Example.Label == 1)} with an HF diagnosis; "
        + $"{UndatedDiagnoses} left out for an undated HF diagnosis, "
        + $"{WithoutNotesBeforeCut} for having no notes before their cut)";
}

/// <summary>
/// What a record's coded heart-failure diagnoses say for its weak label: none (negative), the first dated one
/// (positive), or only undated ones (left out: nothing can be cut before an unknown date).
/// </summary>
public sealed record CodedDiagnosis(bool HeartFailure, DateOnly? First)
{
    public bool Undated => HeartFailure && First is null;
}

/// <summary>
/// FHIR patients → labelled notes with weak labels from the record itself, by the one weak-label rule
/// (<see cref="Diagnosis"/> and <see cref="Cut"/>, which train-tabular and evaluate-cohort also follow when no truth
/// is given): positive when an active heart-failure diagnosis is coded. The text is the patient's notes dated on
/// or before a cut GapDays before the first HF diagnosis (newest first), so neither the code nor anything written
/// in the weeks before it reaches the input. Negatives are cut at dates drawn from the positives' cuts (by a stable
/// hash of the patient reference), so both classes cover comparable periods. Undated notes are left out: they
/// cannot be placed before the cut.
/// </summary>
public sealed class WeakLabels(FhirInputReader reader, BulkExportReader bulkReader, PatientRecordExtractor extractor)
{
    public const int DefaultGapDays = 30;

    private static readonly DateOnly Everything = new(9999, 12, 31);

    public static bool IsFhir(string path) => Directory.Exists(path);

    /// <summary>
    /// The weak label's diagnosis: whether an active HF diagnosis is coded, and the recorded day of the first dated
    /// one (<see cref="CalendarDay"/>).
    /// </summary>
    public static CodedDiagnosis Diagnosis(PatientRecord record)
    {
        var heartFailure = record.ActiveHeartFailure.ToList();
        return new CodedDiagnosis(
            heartFailure.Count > 0,
            heartFailure.Where(d => d.When is not null).Select(d => (DateOnly?)CalendarDay.Of(d.When!.Value)).Min()
        );
    }

    /// <summary>
    /// The cut for a diagnosis: the record is seen as it stood at the end of this day (facts dated on or before it,
    /// as screening as of a date sees them), GapDays before the diagnosis.
    /// </summary>
    public static DateOnly Cut(DateOnly diagnosed, int gapDays = DefaultGapDays) => diagnosed.AddDays(-gapDays);

    public WeakLabelSet FromFolder(string folder, int gapDays, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gapDays);
        var issues = new List<InputIssue>();
        var records = Records(folder, issues, cancellationToken).ToList();
        return Label(records, gapDays, issues);
    }

    public static WeakLabelSet Label(IReadOnlyList<PatientRecord> records, int gapDays, List<InputIssue> issues)
    {
        var undated = 0;
        var timelines = new List<(PatientRecord Record, DateOnly? Diagnosed)>();
        foreach (var record in records)
        {
            var diagnosis = Diagnosis(record);
            if (diagnosis.Undated)
            {
                undated++;
                continue;
            }
            timelines.Add((record, diagnosis.First));
        }
        var positiveCuts = timelines
            .Where(t => t.Diagnosed is not null)
            .Select(t => Cut(t.Diagnosed!.Value, gapDays))
            .Order()
            .ToList();

        var examples = new List<WeakLabelExample>();
        var withoutNotes = 0;
        foreach (var (record, diagnosed) in timelines.OrderBy(t => t.Record.PatientReference, StringComparer.Ordinal))
        {
            var cut =
                diagnosed is { } d ? Cut(d, gapDays)
                : positiveCuts.Count > 0
                    ? positiveCuts[(int)(Fnv1a.Hash32(record.PatientReference) % (uint)positiveCuts.Count)]
                : record.AsOf == Everything ? LatestNote(record)
                : record.AsOf;
            var notes = record
                .Notes.Where(n => n.When is { } when && CalendarDay.Of(when) <= cut)
                .OrderByDescending(n => n.When)
                .ToList();
            if (notes.Count == 0)
            {
                withoutNotes++;
                continue;
            }
            var text = string.Join("\n\n", notes.Select(n => n.Text.Trim()));
            examples.Add(
                new WeakLabelExample(
                    new LabelledNote(record.PatientReference, text, diagnosed is null ? 0 : 1),
                    cut,
                    diagnosed,
                    notes
                )
                {
                    Sex = record.Sex,
                    AgeYears = (record with { AsOf = cut }).AgeYears,
                }
            );
        }
        return new WeakLabelSet(examples, undated, withoutNotes, issues);
    }

    public IEnumerable<PatientRecord> Records(
        string folder,
        List<InputIssue> issues,
        CancellationToken cancellationToken
    )
    {
        foreach (var input in FhirInputs.Enumerate([folder], issues))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (input.IsBulkExport)
            {
                var layout = BulkExportLayout.Discover(input.Path);
                foreach (var group in bulkReader.ReadByPatient(layout, issues, cancellationToken))
                foreach (var record in extractor.Extract(group.Resources, Everything, input.Path).Patients)
                    yield return record;
                continue;
            }
            var parsed = reader.Read(BoundedInput.ReadFile(input.Path, reader.Limits.MaxBytes), input.Path);
            issues.AddRange(parsed.Issues);
            var extracted = extractor.Extract(parsed.Resources, Everything, input.Path);
            issues.AddRange(extracted.Issues);
            foreach (var record in extracted.Patients)
                yield return record;
        }
    }

    private static DateOnly LatestNote(PatientRecord record) =>
        record
            .Notes.Where(n => n.When is not null)
            .Select(n => CalendarDay.Of(n.When!.Value))
            .DefaultIfEmpty(DateOnly.MinValue)
            .Max();
}
