using System.Text.Json;
using System.Text.Json.Serialization;
using Clinical.Fhir.Extraction;
using Clinical.Models.Language;
using Clinical.Models.Scoring;
using Clinical.Models.Scoring.Evidence;
using Clinical.Models.Scoring.Wording;

namespace Clinical.Api.Features.Dashboard.Review;

/// <summary>
/// What the review page shows of a flagged patient beyond the emitted FHIR resources, kept at screening time because
/// the input record is discarded: the natriuretic peptide and weight series, the note passages around HF sign
/// mentions (as the engine reads them: <see cref="NoteSigns"/>, the clinical-language layer), the engine's findings
/// as it wrote them, its components, what is missing and the suggested next step.
/// </summary>
public sealed record ReviewSnapshot(
    IReadOnlyList<ReviewMeasurement> Series,
    IReadOnlyList<ReviewNote> Notes,
    IReadOnlyList<ReviewFinding> Findings,
    IReadOnlyList<ComponentScore> Components,
    IReadOnlyList<string> Missing,
    string NextStep,
    bool LowConfidence
)
{
    public const string NextNtProBnp = "nt-probnp";
    public const string NextEchocardiogram = "echocardiogram";

    /// <summary>Characters of context kept on each side of a mention, widened to the sentence around it.</summary>
    private const int Context = 160;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ReviewSnapshot FromJson(string json) =>
        JsonSerializer.Deserialize<ReviewSnapshot>(json, Json)
        ?? throw new InvalidOperationException("The stored review snapshot is empty.");

    public static ReviewSnapshot From(PatientRecord record, RiskEstimate estimate, RiskWording wording)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(wording);
        var series = record
            .Measurements.Where(m =>
                m.Kind is MeasurementKind.NtProBnp or MeasurementKind.Bnp or MeasurementKind.BodyWeight
            )
            .Select(m => new ReviewMeasurement(
                m.Kind switch
                {
                    MeasurementKind.NtProBnp => ReviewMeasurement.NtProBnp,
                    MeasurementKind.Bnp => ReviewMeasurement.Bnp,
                    _ => ReviewMeasurement.Weight,
                },
                (double)m.Value,
                m.Unit,
                m.Comparator,
                m.When,
                m.Source
            ))
            .ToList();
        var noteSources = estimate
            .Findings.Where(f => f.SpanStart is not null)
            .Select(f => f.Source)
            .ToHashSet(StringComparer.Ordinal);
        var notes = record
            .Notes.Where(n => noteSources.Contains(n.Source))
            .Select(n => new ReviewNote(n.Source, n.When, n.AuthorRole, n.Language, Passages(n)))
            .Where(n => n.Passages.Count > 0)
            .OrderByDescending(n => n.When ?? DateTimeOffset.MinValue)
            .ToList();
        var hasPeptide = series.Any(s => s.Kind is ReviewMeasurement.NtProBnp or ReviewMeasurement.Bnp);
        return new ReviewSnapshot(
            series,
            notes,
            estimate
                .Findings.Select(f => new ReviewFinding(
                    wording.Describe(f),
                    f.Source,
                    f.When,
                    f.Weight,
                    f.SpanStart is not null
                ))
                .ToList(),
            estimate.Components,
            estimate.Missing.Select(wording.Describe).ToList(),
            hasPeptide ? NextEchocardiogram : NextNtProBnp,
            estimate.Confidence == Confidence.Low
        );
    }

    private static List<NotePassage> Passages(ClinicalNote note)
    {
        var mentions = NoteSigns.Read(new NoteText(note.Text, note.Language, note.When, note.Source)).Mentions;
        var passages = new List<NotePassage>();
        var windows = new List<(int Start, int End, List<ClinicalMention> Mentions)>();
        foreach (var mention in mentions)
        {
            var start = SentenceStart(note.Text, Math.Max(0, mention.Start - Context), mention.Start);
            var end = SentenceEnd(
                note.Text,
                mention.Start + mention.Length,
                Math.Min(note.Text.Length, mention.Start + mention.Length + Context)
            );
            if (windows.Count > 0 && start <= windows[^1].End)
            {
                var last = windows[^1];
                last.Mentions.Add(mention);
                windows[^1] = (last.Start, Math.Max(last.End, end), last.Mentions);
            }
            else
            {
                windows.Add((start, end, [mention]));
            }
        }
        foreach (var (start, end, inside) in windows)
            passages.Add(
                new NotePassage(
                    note.Text[start..end],
                    start > 0,
                    end < note.Text.Length,
                    inside
                        .Select(m => new PassageMention(
                            m.Start - start,
                            m.Length,
                            m.Concept.ToString(),
                            m.Assertion.ToString()
                        ))
                        .ToList()
                )
            );
        return passages;
    }

    /// <summary>
    /// The start of the sentence holding <paramref name="at"/>, but not before <paramref name="limit"/>.
    /// </summary>
    private static int SentenceStart(string text, int limit, int at)
    {
        var cut = text.LastIndexOfAny(['.', '\n', '!', '?'], Math.Max(0, at - 1), Math.Max(0, at - limit));
        return cut < limit ? limit : cut + 1;
    }

    private static int SentenceEnd(string text, int at, int limit)
    {
        if (at >= text.Length)
            return text.Length;
        var cut = text.IndexOfAny(['.', '\n', '!', '?'], at, Math.Max(0, limit - at));
        return cut < 0 ? limit : cut + 1;
    }
}

/// <summary>
/// A measurement for the plot and its table: kind, value in the product's unit, date, source resource.
/// </summary>
public sealed record ReviewMeasurement(
    string Kind,
    double Value,
    string Unit,
    string? Comparator,
    DateTimeOffset? When,
    string Source
)
{
    public const string NtProBnp = "nt-probnp";
    public const string Bnp = "bnp";
    public const string Weight = "weight";
}

/// <summary>
/// A note with sign mentions: its source, date, author (role) and language, and the passages to show.
/// </summary>
public sealed record ReviewNote(
    string Source,
    DateTimeOffset? When,
    string? Author,
    string Language,
    IReadOnlyList<NotePassage> Passages
);

/// <summary>
/// A passage of a note; mention offsets are within Text; Before/After say whether the note goes on either side.
/// </summary>
public sealed record NotePassage(string Text, bool Before, bool After, IReadOnlyList<PassageMention> Mentions);

/// <summary>
/// A sign mention in a passage: ClinicalConcept and Assertion (Affirmed, Negated, Hedged, Hypothetical, Historical,
/// Family) by name.
/// </summary>
public sealed record PassageMention(int Start, int Length, string Sign, string Assertion);

/// <summary>
/// One of the engine's findings as it wrote it, with its source, date, weight and whether it is a note's.
/// </summary>
public sealed record ReviewFinding(
    string Description,
    string Source,
    DateTimeOffset? When,
    double Weight,
    bool FromNote
);
