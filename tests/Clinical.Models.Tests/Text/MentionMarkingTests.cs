using System.Text.Json;
using Clinical.Models.Text;
using Clinical.Tests;

namespace Clinical.Models.Tests.Text;

public sealed class MentionMarkingTests
{
    private const string Note = "Niega ortopnea. Refiere disnea de esfuerzo. Madre con insuficiencia cardiaca.";

    private static readonly NoteTokenizer Tokenizer = NoteTokenizer.Load(
        FixtureFiles.PathOf("models", "hf-note-classifier")
    );

    [Fact]
    public void Given_assertion_marking_When_encoded_Then_the_model_reads_each_mention_after_its_marker()
    {
        var marked = MentionMarkers.Encode(Tokenizer, Note, MentionMarking.Assertions);

        var read = Tokenizer.Decode(marked.Ids);
        Assert.Contains("[negado] ortopnea", read, StringComparison.Ordinal);
        Assert.Contains("[afirmado] disnea de esfuerzo", read, StringComparison.Ordinal);
        Assert.Contains("[familiar] insuficiencia cardiaca", read, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_concept_marking_When_encoded_Then_each_marker_names_the_concept_and_how_it_stands()
    {
        var marked = MentionMarkers.Encode(Tokenizer, Note, MentionMarking.ConceptsAndAssertions);

        var read = Tokenizer.Decode(marked.Ids);
        Assert.Contains("[ortopnea negado] ortopnea", read, StringComparison.Ordinal);
        Assert.Contains("[disnea afirmado] disnea de esfuerzo", read, StringComparison.Ordinal);
        Assert.Contains("[ic familiar] insuficiencia cardiaca", read, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_assertion_marking_When_encoded_Then_every_span_points_at_the_note_as_written()
    {
        var plain = Tokenizer.Encode(Note);

        var marked = MentionMarkers.Encode(Tokenizer, Note, MentionMarking.Assertions);

        Assert.Equal(Note, marked.Text);
        Assert.True(marked.Count > plain.Count);
        Assert.All(marked.Offsets, o => Assert.InRange(o.Start, 0, o.End));
        Assert.All(marked.Offsets, o => Assert.InRange(o.End, o.Start, Note.Length));
        // The note's own tokens keep the spans plain encoding gives them: markers add tokens, they move none.
        Assert.Empty(plain.Offsets.Where(o => o.Length > 0).Except(marked.Offsets));
        var ortopnea = new TextSpan(Note.IndexOf("ortopnea", StringComparison.Ordinal), Note.IndexOf('.'));
        // A marker's tokens cover the mention it introduces.
        var covering = Enumerable.Range(0, marked.Count).Where(i => marked.Offsets[i].End == ortopnea.End);
        Assert.Equal("[negado] ortopnea", Tokenizer.Decode(covering.Select(i => marked.Ids[i])).Trim());
    }

    [Fact]
    public void Given_no_marking_When_encoded_Then_it_is_the_tokenizer_s_own_encoding()
    {
        var plain = Tokenizer.Encode(Note);

        var unmarked = MentionMarkers.Encode(Tokenizer, Note, MentionMarking.None);

        Assert.Equal(plain.Ids, unmarked.Ids);
        Assert.Equal(plain.Offsets, unmarked.Offsets);
    }

    [Fact]
    public void Given_a_card_written_before_marking_existed_When_its_windows_are_read_Then_notes_are_unmarked()
    {
        const string before = """{"selection":"Mentions","window_tokens":128,"overlap":63,"max_windows":2}""";

        var policy = JsonSerializer.Deserialize<WindowPolicy>(before)!;
        var marked = policy with { Marking = MentionMarking.Assertions };

        Assert.Equal(MentionMarking.None, policy.Marking);
        Assert.Contains(
            "\"mention_marking\":\"Assertions\"",
            JsonSerializer.Serialize(marked),
            StringComparison.Ordinal
        );
        Assert.Equal(marked, JsonSerializer.Deserialize<WindowPolicy>(JsonSerializer.Serialize(marked)));
    }
}
