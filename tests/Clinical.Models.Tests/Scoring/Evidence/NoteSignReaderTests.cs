using Clinical.Models.Scoring.Evidence;

namespace Clinical.Models.Tests.Scoring.Evidence;

public sealed class NoteSignReaderTests
{
    private static SignMention Only(string text, string language, HeartFailureSign sign) =>
        Assert.Single(NoteSignReader.Read(text, language), m => m.Sign == sign);

    [Theory]
    [InlineData("es", "Niega ortopnea.", HeartFailureSign.Orthopnoea)]
    [InlineData("es", "MMII sin edemas.", HeartFailureSign.Oedema)]
    [InlineData("es", "No presenta edemas en MMII.", HeartFailureSign.Oedema)]
    [InlineData("es", "AP: MVC, no crepitantes.", HeartFailureSign.Crackles)]
    [InlineData("es", "Niega disnea, ortopnea ni DPN.", HeartFailureSign.ParoxysmalNocturnalDyspnoea)]
    [InlineData("ca", "Nega ortopnea.", HeartFailureSign.Orthopnoea)]
    [InlineData("ca", "EEII sense edemes.", HeartFailureSign.Oedema)]
    [InlineData("ca", "No refereix dispnea d'esforç.", HeartFailureSign.ExertionalDyspnoea)]
    [InlineData("gl", "EEII sen edemas.", HeartFailureSign.Oedema)]
    [InlineData("gl", "Non ortopnea.", HeartFailureSign.Orthopnoea)]
    [InlineData("gl", "Nega dispnea de esforzo.", HeartFailureSign.ExertionalDyspnoea)]
    [InlineData("eu", "Ez du ortopnearik.", HeartFailureSign.Orthopnoea)]
    [InlineData("eu", "EEIIetan edemarik ez.", HeartFailureSign.Oedema)]
    [InlineData("eu", "Arnasestua ukatzen du.", HeartFailureSign.ExertionalDyspnoea)]
    [InlineData("eu", "Ez du DPNrik.", HeartFailureSign.ParoxysmalNocturnalDyspnoea)]
    public void Given_a_denied_sign_in_each_language_When_read_Then_it_is_negated(
        string language,
        string text,
        HeartFailureSign sign
    )
    {
        Assert.Equal(Assertion.Negated, Only(text, language, sign).Assertion);
    }

    [Theory]
    [InlineData("es", "Refiere disnea de esfuerzo y edemas en MMII.", HeartFailureSign.Oedema)]
    [InlineData("es", "Ortopnea de 2 almohadas.", HeartFailureSign.Orthopnoea)]
    [InlineData("es", "AP: crepitantes bibasales.", HeartFailureSign.Crackles)]
    [InlineData("es", "Ingurgitación yugular a 45º.", HeartFailureSign.RaisedJugularPressure)]
    [InlineData("ca", "Edemes mal·leolars amb fòvea.", HeartFailureSign.Oedema)]
    [InlineData("gl", "Refire dispnea de esforzo progresiva.", HeartFailureSign.ExertionalDyspnoea)]
    [InlineData("eu", "Orkatiletan edemak fobearekin.", HeartFailureSign.Oedema)]
    [InlineData("eu", "Arnasestua ahalegin ertainetan.", HeartFailureSign.ExertionalDyspnoea)]
    public void Given_an_affirmed_sign_When_read_Then_it_is_present(string language, string text, HeartFailureSign sign)
    {
        Assert.Equal(Assertion.Present, Only(text, language, sign).Assertion);
    }

    [Theory]
    [InlineData("es", "Probable edema maleolar.", HeartFailureSign.Oedema)]
    [InlineData("es", "Sospecha de ortopnea, a valorar.", HeartFailureSign.Orthopnoea)]
    [InlineData("es", "Crepitantes a descartar.", HeartFailureSign.Crackles)]
    [InlineData("ca", "Possible ortopnea.", HeartFailureSign.Orthopnoea)]
    [InlineData("eu", "Baliteke ortopnea izatea.", HeartFailureSign.Orthopnoea)]
    public void Given_a_hedged_sign_When_read_Then_it_is_kept_and_marked_uncertain(
        string language,
        string text,
        HeartFailureSign sign
    )
    {
        Assert.Equal(Assertion.Uncertain, Only(text, language, sign).Assertion);
    }

    [Fact]
    public void Given_a_note_with_several_signs_When_read_Then_each_span_is_the_exact_text_of_the_sign()
    {
        const string note =
            "S: Refiere disnea de esfuerzo desde hace 3 semanas. Niega ortopnea. O: edemas maleolares con fóvea.";

        var mentions = NoteSignReader.Read(note, "es");

        Assert.Equal(
            [
                (HeartFailureSign.ExertionalDyspnoea, Assertion.Present, "disnea de esfuerzo"),
                (HeartFailureSign.Orthopnoea, Assertion.Negated, "ortopnea"),
                (HeartFailureSign.Oedema, Assertion.Present, "edemas"),
            ],
            mentions.Select(m => (m.Sign, m.Assertion, note.Substring(m.Start, m.Length)))
        );
    }

    [Fact]
    public void Given_a_negation_in_an_earlier_sentence_When_read_Then_it_does_not_reach_the_sign()
    {
        Assert.Equal(Assertion.Present, Only("No tos. Edemas en MMII.", "es", HeartFailureSign.Oedema).Assertion);
        Assert.Equal(
            Assertion.Present,
            Only("Sin fiebre pero con crepitantes bibasales.", "es", HeartFailureSign.Crackles).Assertion
        );
    }
}
