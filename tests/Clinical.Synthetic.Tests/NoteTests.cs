using System.Text;
using System.Text.RegularExpressions;
using Clinical.Synthetic;
using Hl7.Fhir.Model;

namespace Clinical.Synthetic.Tests;

public sealed partial class NoteTests
{
    private static List<DocumentReference> Notes() =>
        SyntheticCohorts.EnrichedInMemory.SelectMany(p => p.Resources.OfType<DocumentReference>()).ToList();

    private static readonly string[] AuthorRoles = ["Médico de familia", "Enfermera"];

    private static string Text(DocumentReference note) => note.Text();

    [Fact]
    public void Given_generated_notes_When_read_Then_each_is_a_base64_utf8_progress_note_by_a_physician_or_nurse()
    {
        var notes = Notes();
        Assert.True(notes.Count > 1000);
        foreach (var note in notes)
        {
            var attachment = note.Content.Single().Attachment!;
            Assert.Equal("text/plain; charset=utf-8", attachment.ContentType);
            Assert.False(string.IsNullOrWhiteSpace(Text(note)));
            Assert.Equal("11506-3", note.Type.Codings().Single().Code);
            Assert.NotNull(note.Date);
            var author = note.Author.Single();
            Assert.Contains(author.Display, AuthorRoles);
            Assert.StartsWith("urn:uuid:", author.Reference ?? string.Empty, StringComparison.Ordinal);
        }
        Assert.Contains(notes, n => n.Author[0].Display == "Enfermera");
    }

    [Fact]
    public void Given_generated_notes_When_language_is_read_Then_most_but_not_all_carry_it()
    {
        var notes = Notes();
        var tagged = notes.Count(n => n.Content[0].Attachment?.Language is not null) / (double)notes.Count;

        Assert.InRange(tagged, 0.75, 0.95);
    }

    [Fact]
    public void Given_generated_notes_When_read_Then_they_use_decimal_commas_abbreviations_negations_and_hedges()
    {
        var corpus = string.Join("\n", Notes().Select(Text));

        Assert.Matches(DecimalCommaWeight(), corpus);
        Assert.DoesNotMatch(DecimalPointWeight(), corpus);
        foreach (
            var expected in new[]
            {
                "HTA",
                "TA",
                "FC",
                "FEVI",
                "IC",
                "niega ortopnea",
                "sin edemas",
                "a descartar",
                "Probable",
            }
        )
        {
            Assert.Contains(expected, corpus, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Given_many_notes_When_compared_Then_almost_none_repeat_verbatim()
    {
        var texts = Notes().Select(Text).Where(t => t.Length > 60).ToList();

        Assert.True(texts.Distinct(StringComparer.Ordinal).Count() > 0.97 * texts.Count);
    }

    [Theory]
    [InlineData(
        NoteLanguage.Catalan,
        new[] { "nega ortopnea", "dispnea d'esforç", "edemes a EEII", "sense edemes" },
        new[] { "niega", "sin edemas" }
    )]
    [InlineData(
        NoteLanguage.Galician,
        new[] { "nega ortopnea", "dispnea de esforzo", "edemas en EEII", "sen edemas" },
        new[] { "niega", "sin edemas" }
    )]
    [InlineData(
        NoteLanguage.Basque,
        new[] { "arnasestuka ahaleginean", "ez du ortopnearik", "edemarik ez" },
        new[] { "niega", "sin edemas", "disnea" }
    )]
    [InlineData(
        NoteLanguage.Spanish,
        new[] { "niega ortopnea", "disnea de esfuerzo", "edemas en MMII", "sin edemas" },
        new[] { "sense edemes", "edemarik", "d'esforç" }
    )]
    public void Given_a_language_When_notes_are_composed_Then_they_use_that_language_glossary_only(
        NoteLanguage language,
        string[] expected,
        string[] foreign
    )
    {
        var options = new CohortOptions(Patients: 150, Seed: 13, HfShare: 0.6);
        var rng = new SeededRandom(options.Seed, 0, RandomStream.Notes);
        var corpus = new StringBuilder();
        for (var i = 0; i < options.Patients; i++)
        {
            var history = Trajectories.Build(Clinical.Synthetic.People.Population.Sample(options, i), options);
            foreach (var visit in history.Visits)
            {
                corpus.AppendLine(NoteWriter.Compose(history, visit, language, rng));
            }
        }
        var text = corpus.ToString();

        Assert.All(expected, phrase => Assert.Contains(phrase, text, StringComparison.Ordinal));
        Assert.All(foreign, phrase => Assert.DoesNotContain(phrase, text, StringComparison.Ordinal));
    }

    [Fact]
    public void Given_notes_When_typing_noise_is_applied_Then_some_accents_are_missing_but_most_words_are_intact()
    {
        var rng = new SeededRandom(1, 1, RandomStream.Notes);
        const string note =
            "Refiere disnea de esfuerzo y edemas maleolares. Exploración: AC rítmica. Próximo control en 3 meses.";
        var noisy = Enumerable.Range(0, 400).Select(_ => NoteNoise.Apply(note, rng)).ToList();

        Assert.Contains(noisy, n => n.Contains("Exploracion", StringComparison.Ordinal));
        Assert.True(noisy.Count(n => n == note) > 200);
    }

    [GeneratedRegex(@"\b\d{2,3},\d kg\b")]
    private static partial Regex DecimalCommaWeight();

    [GeneratedRegex(@"\b\d{2,3}\.\d kg\b")]
    private static partial Regex DecimalPointWeight();
}
