using Clinical.Models.Summaries;

namespace Clinical.Models.Tests.Summaries;

public sealed class EvidenceSelectionTests
{
    [Theory]
    [InlineData("Niega ortopnea y DPN.", "ortopnea", true)]
    [InlineData("Niega ortopnea y DPN.", "disnea paroxística nocturna", true)]
    [InlineData("Refiere ortopnea de 2 almohadas.", "ortopnea", false)]
    [InlineData("Sin edemas en MMII.", "edemas", true)]
    [InlineData("Nega ortopnea, però refereix edemes mal·leolars.", "edemas", false)]
    [InlineData("Sen edemas.", "edemas", true)]
    [InlineData("Ortopnearik ez.", "ortopnea", true)]
    [InlineData("Crepitantes bibasales.", "crepitantes", false)]
    [InlineData("Ingurgitació jugular a 45 graus.", "ingurgitación yugular", false)]
    public void Given_a_note_sentence_When_HF_terms_are_found_Then_negation_is_read_from_its_clause(
        string sentence,
        string label,
        bool negated
    )
    {
        var finding = Assert.Single(HeartFailureTerms.Find(sentence), f => f.Label == label);

        Assert.Equal(negated, finding.Negated);
    }

    [Fact]
    public void Given_Catalan_text_with_fa_meaning_ago_When_terms_are_found_Then_it_is_not_atrial_fibrillation()
    {
        Assert.DoesNotContain(HeartFailureTerms.Find("Tos des de fa 3 dies."), f => f.Label == "fibrilación auricular");
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

        var selected = EvidenceSelection.Select(notes, tokenBudget: 40);

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
            100
        );

        Assert.Equal("Refiere disnea.", Assert.Single(selected).Text);
    }
}
