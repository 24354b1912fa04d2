using Clinical.Models.Language;

namespace Clinical.Models.Tests.Language;

public sealed class MentionReaderTests
{
    private static ClinicalMention Only(string text, ClinicalConcept concept) =>
        Assert.Single(MentionReader.Read(text), m => m.Concept == concept);

    [Theory]
    [InlineData("Niega ortopnea.", ClinicalConcept.Orthopnoea)]
    [InlineData("MMII sin edemas.", ClinicalConcept.Oedema)]
    [InlineData("No presenta edemas en MMII.", ClinicalConcept.Oedema)]
    [InlineData("AP: MVC, no crepitantes.", ClinicalConcept.Crackles)]
    [InlineData("Niega disnea, ortopnea ni DPN.", ClinicalConcept.ParoxysmalNocturnalDyspnoea)]
    [InlineData("Nega ortopnea.", ClinicalConcept.Orthopnoea)]
    [InlineData("EEII sense edemes.", ClinicalConcept.Oedema)]
    [InlineData("No refereix dispnea d'esforç.", ClinicalConcept.ExertionalDyspnoea)]
    [InlineData("EEII sen edemas.", ClinicalConcept.Oedema)]
    [InlineData("Non ortopnea.", ClinicalConcept.Orthopnoea)]
    [InlineData("Nega dispnea de esforzo.", ClinicalConcept.ExertionalDyspnoea)]
    [InlineData("Ez du ortopnearik.", ClinicalConcept.Orthopnoea)]
    [InlineData("EEIIetan edemarik ez.", ClinicalConcept.Oedema)]
    [InlineData("Arnasestua ukatzen du.", ClinicalConcept.ExertionalDyspnoea)]
    [InlineData("Ez du DPNrik.", ClinicalConcept.ParoxysmalNocturnalDyspnoea)]
    public void Given_a_denied_sign_in_each_language_When_read_Then_it_is_negated(string text, ClinicalConcept concept)
    {
        Assert.Equal(Assertion.Negated, Only(text, concept).Assertion);
    }

    [Theory]
    [InlineData("Refiere disnea de esfuerzo y edemas en MMII.", ClinicalConcept.Oedema)]
    [InlineData("Ortopnea de 2 almohadas.", ClinicalConcept.Orthopnoea)]
    [InlineData("AP: crepitantes bibasales.", ClinicalConcept.Crackles)]
    [InlineData("Ingurgitación yugular a 45º.", ClinicalConcept.RaisedJugularPressure)]
    [InlineData("Edemes mal·leolars amb fòvea.", ClinicalConcept.Oedema)]
    [InlineData("Refire dispnea de esforzo progresiva.", ClinicalConcept.ExertionalDyspnoea)]
    [InlineData("Orkatiletan edemak fobearekin.", ClinicalConcept.Oedema)]
    [InlineData("Arnasestua ahalegin ertainetan.", ClinicalConcept.ExertionalDyspnoea)]
    public void Given_an_affirmed_sign_When_read_Then_it_is_present(string text, ClinicalConcept concept)
    {
        Assert.Equal(Assertion.Affirmed, Only(text, concept).Assertion);
    }

    [Theory]
    [InlineData("Probable edema maleolar.", ClinicalConcept.Oedema)]
    [InlineData("Sospecha de ortopnea, a valorar.", ClinicalConcept.Orthopnoea)]
    [InlineData("Crepitantes a descartar.", ClinicalConcept.Crackles)]
    [InlineData("Possible ortopnea.", ClinicalConcept.Orthopnoea)]
    [InlineData("Baliteke ortopnea izatea.", ClinicalConcept.Orthopnoea)]
    public void Given_a_hedged_sign_When_read_Then_it_is_kept_and_marked_uncertain(string text, ClinicalConcept concept)
    {
        Assert.Equal(Assertion.Hedged, Only(text, concept).Assertion);
    }

    [Fact]
    public void Given_a_note_with_several_signs_When_read_Then_each_span_is_the_exact_text_of_the_sign()
    {
        const string note =
            "S: Refiere disnea de esfuerzo desde hace 3 semanas. Niega ortopnea. O: edemas maleolares con fóvea.";

        var mentions = MentionReader.Read(note);

        Assert.Equal(
            [
                (ClinicalConcept.ExertionalDyspnoea, Assertion.Affirmed, "disnea de esfuerzo"),
                (ClinicalConcept.Orthopnoea, Assertion.Negated, "ortopnea"),
                (ClinicalConcept.Oedema, Assertion.Affirmed, "edemas"),
            ],
            mentions.Select(m => (m.Concept, m.Assertion, note.Substring(m.Start, m.Length)))
        );
    }

    [Fact]
    public void Given_a_negation_in_an_earlier_sentence_When_read_Then_it_does_not_reach_the_sign()
    {
        Assert.Equal(Assertion.Affirmed, Only("No tos. Edemas en MMII.", ClinicalConcept.Oedema).Assertion);
        Assert.Equal(
            Assertion.Affirmed,
            Only("Sin fiebre pero con crepitantes bibasales.", ClinicalConcept.Crackles).Assertion
        );
    }
}
