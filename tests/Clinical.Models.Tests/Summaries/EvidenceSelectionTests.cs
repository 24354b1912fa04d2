using Clinical.Models.Language;
using Clinical.Models.Summaries;

namespace Clinical.Models.Tests.Summaries;

public sealed class EvidenceSelectionTests
{
    private static readonly DrugVocabulary NoDrugs = DrugVocabulary.Empty;

    [Theory]
    [InlineData("Niega ortopnea y DPN.", ClinicalConcept.Orthopnoea, Assertion.Negated)]
    [InlineData("Niega ortopnea y DPN.", ClinicalConcept.ParoxysmalNocturnalDyspnoea, Assertion.Negated)]
    [InlineData("Refiere ortopnea de 2 almohadas.", ClinicalConcept.Orthopnoea, Assertion.Affirmed)]
    [InlineData("Sin edemas en MMII.", ClinicalConcept.Oedema, Assertion.Negated)]
    [InlineData("Nega ortopnea, però refereix edemes mal·leolars.", ClinicalConcept.Oedema, Assertion.Affirmed)]
    [InlineData("Sen edemas.", ClinicalConcept.Oedema, Assertion.Negated)]
    [InlineData("Ortopnearik ez.", ClinicalConcept.Orthopnoea, Assertion.Negated)]
    [InlineData("Crepitantes bibasales.", ClinicalConcept.Crackles, Assertion.Affirmed)]
    [InlineData("Ingurgitació jugular a 45 graus.", ClinicalConcept.RaisedJugularPressure, Assertion.Affirmed)]
    public void Given_a_note_sentence_When_HF_terms_are_found_Then_negation_is_read_from_its_clause(
        string sentence,
        ClinicalConcept concept,
        Assertion assertion
    )
    {
        var evidence = Assert.Single(EvidenceSelection.Sentences([new SummaryNote(sentence, null, "x")], NoDrugs));

        Assert.Equal(assertion, Assert.Single(evidence.Mentions, m => m.Concept == concept).Assertion);
    }

    [Fact]
    public void Given_Catalan_text_with_fa_meaning_ago_When_terms_are_found_Then_it_is_not_atrial_fibrillation()
    {
        var evidence = Assert.Single(
            EvidenceSelection.Sentences([new SummaryNote("Tos des de fa 3 dies.", null, "x")], NoDrugs)
        );

        Assert.DoesNotContain(evidence.Mentions, m => m.Concept == ClinicalConcept.AtrialFibrillation);
    }

    [Fact]
    public void Given_a_sentence_naming_a_loop_diuretic_When_selected_Then_it_is_evidence_ranked_by_the_drug()
    {
        var drugs = new DrugVocabulary([new SummaryDrug("furosemida", ["furosemida", "furosemide"], true)]);
        var notes = new[] { new SummaryNote("Inicio furosemida 40 mg. Control de TA.", null, "x") };

        var selected = Assert.Single(EvidenceSelection.Select(notes, drugs, 100));

        Assert.Equal("Inicio furosemida 40 mg.", selected.Text);
        Assert.Equal(2, selected.Relevance);
    }

    [Fact]
    public void Given_a_long_record_When_selected_under_a_small_budget_Then_the_most_relevant_are_kept_in_order()
    {
        var filler = Enumerable
            .Range(1, 200)
            .Select(i => new SummaryNote(
                $"Control de tensión {i}. Refiere cansancio.",
                new DateOnly(2025, 1, 1).AddDays(i),
                $"DocumentReference/n{i}"
            ));
        var notes = filler
            .Append(
                new SummaryNote(
                    "Crepitantes bibasales e ingurgitación yugular. Ortopnea de 3 almohadas.",
                    new DateOnly(2024, 5, 2),
                    "DocumentReference/key"
                )
            )
            .ToList();

        var selected = EvidenceSelection.Select(notes, NoDrugs, tokenBudget: 40);

        Assert.Equal(
            ["Crepitantes bibasales e ingurgitación yugular.", "Ortopnea de 3 almohadas."],
            selected.Take(2).Select(s => s.Text)
        );
        Assert.True(selected.Sum(s => EvidenceSelection.ApproximateTokens(EvidenceSelection.Line(s))) <= 40);
        Assert.All(selected.Skip(2), s => Assert.Equal("Refiere cansancio.", s.Text));
        Assert.Equal(new DateOnly(2025, 7, 20), selected[2].When);
    }

    [Fact]
    public void Given_sentences_without_HF_terms_When_selected_Then_they_are_left_out()
    {
        var selected = EvidenceSelection.Select(
            [new SummaryNote("Acude por lumbalgia. Refiere disnea.", null, "DocumentReference/x")],
            NoDrugs,
            100
        );

        Assert.Equal("Refiere disnea.", Assert.Single(selected).Text);
    }
}
