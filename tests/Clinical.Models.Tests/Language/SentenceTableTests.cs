using Clinical.Models.Language;
using Clinical.Models.Scoring;
using Clinical.Models.Scoring.Evidence;
using Clinical.Models.Summaries;
using Clinical.Models.Training.Baselines;
using Clinical.Tests;

namespace Clinical.Models.Tests.Language;

/// <summary>
/// The shared sentence tables (fixtures/clinical-language/{es,ca,gl,eu}.tsv) through every consumer of clinical
/// language: the layer itself, risk scoring's sign reading, the summaries' evidence selection, and the negation
/// baseline where the sentence is about HF. Every one must read each sentence as the table says.
/// </summary>
public sealed class SentenceTableTests
{
    public sealed record Row(
        string Language,
        int Line,
        string Sentence,
        ClinicalConcept Concept,
        string Reading,
        string? Span
    )
    {
        public override string ToString() => $"{Language}:{Line} {Sentence}";
    }

    public static TheoryData<Row> Rows() => new(Table());

    private static List<Row> Table()
    {
        var rows = new List<Row>();
        foreach (var language in new[] { "es", "ca", "gl", "eu" })
        {
            var lines = File.ReadAllLines(FixtureFiles.PathOf("clinical-language", $"{language}.tsv"));
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length == 0 || lines[i].StartsWith('#'))
                    continue;
                var cells = lines[i].Split('\t');
                rows.Add(
                    new Row(
                        language,
                        i + 1,
                        cells[0],
                        Enum.Parse<ClinicalConcept>(cells[1]),
                        cells[2],
                        cells.Length > 3 ? cells[3] : null
                    )
                );
            }
        }
        return rows;
    }

    [Fact]
    public void Given_the_tables_When_read_Then_every_language_covers_every_reading_and_weight_gain()
    {
        var rows = Table();
        foreach (var language in new[] { "es", "ca", "gl", "eu" })
        {
            var readings = rows.Where(r => r.Language == language).Select(r => r.Reading).ToHashSet();
            Assert.Superset(
                new HashSet<string> { "Affirmed", "Negated", "Hedged", "Hypothetical", "Historical", "Family", "None" },
                readings
            );
            Assert.Contains(rows, r => r.Language == language && r.Concept == ClinicalConcept.WeightGain);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Given_a_table_sentence_When_every_consumer_reads_it_Then_all_read_it_as_the_table_says(Row row)
    {
        var layer = MentionReader.Read(row.Sentence).FirstOrDefault(m => m.Concept == row.Concept);
        Assert.Equal(row.Reading, Reading(layer));
        if (layer is not null)
            Assert.Equal(row.Span, row.Sentence.Substring(layer.Start, layer.Length));

        if (row.Concept.IsScoredSign())
            Assert.Equal(row.Reading, Reading(ScoringMention(row)));

        Assert.Equal(row.Reading, Reading(SummaryMention(row)));

        if (row.Concept == ClinicalConcept.HeartFailure)
            Assert.Equal(BaselineReading(row.Reading), BaselineReading(NegationRule.Score(row.Sentence)));
    }

    private static string Reading(ClinicalMention? mention) => mention?.Assertion.ToString() ?? "None";

    /// <summary>The sign as the risk engine's guideline component reads it from the patient's notes.</summary>
    private static ClinicalMention? ScoringMention(Row row)
    {
        var input = new RiskInput("Patient/table", new DateOnly(2026, 6, 30), 70, [], [])
        {
            Notes = [new NoteText(row.Sentence, row.Language, null, "DocumentReference/table")],
        };
        var note = Assert.Single(GuidelineEvidence.Assess(input).Signs.Notes);
        return note.Mentions.FirstOrDefault(m => m.Concept == row.Concept);
    }

    /// <summary>The concept as the summaries' evidence selection reads the note's sentences.</summary>
    private static ClinicalMention? SummaryMention(Row row) =>
        EvidenceSelection
            .Sentences([new SummaryNote(row.Sentence, null, "DocumentReference/table")], DrugVocabulary.Empty)
            .SelectMany(s => s.Mentions)
            .FirstOrDefault(m => m.Concept == row.Concept);

    /// <summary>
    /// What the baseline can tell apart: HF about the patient (affirmed or past), uncertain, discussed but not about
    /// the patient now (denied, hypothetical, a relative's), not named.
    /// </summary>
    private static string BaselineReading(string reading) =>
        reading switch
        {
            "Affirmed" or "Historical" => "about the patient",
            "Hedged" => "uncertain",
            "None" => "not named",
            _ => "not about the patient",
        };

    private static string BaselineReading(double score) =>
        score switch
        {
            > 0.5 => "about the patient",
            0.5 => "uncertain",
            0 => "not named",
            _ => "not about the patient",
        };
}
