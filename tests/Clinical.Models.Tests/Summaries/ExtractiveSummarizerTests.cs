using Clinical.Models.Summaries;

namespace Clinical.Models.Tests.Summaries;

public sealed class ExtractiveSummarizerTests
{
    [Fact]
    public void Given_possible_HF_without_weights_When_summarized_Then_it_is_extractive_with_dated_values_and_gaps()
    {
        var summary = SummaryInputs.Extractive.Summarize(SummaryInputs.PossibleHeartFailure());

        Assert.Equal(SummaryKind.Extractive, summary.Kind);
        Assert.StartsWith("Resumen extractivo", summary.Text, StringComparison.Ordinal);
        Assert.Contains("- 05/03/2026: Refiere disnea de esfuerzo progresiva", summary.Text, StringComparison.Ordinal);
        Assert.Contains("- 05/03/2026: Niega ortopnea y DPN.", summary.Text, StringComparison.Ordinal);
        Assert.Contains("- NT-proBNP 870 pg/mL (12/03/2026)", summary.Text, StringComparison.Ordinal);
        Assert.Contains("- Peso 88,4 kg (12/03/2026)", summary.Text, StringComparison.Ordinal);
        Assert.Contains("- Furosemida 40 mg comprimidos (12/03/2026)", summary.Text, StringComparison.Ordinal);
        Assert.Contains("No consta ecocardiograma (FEVI)", summary.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("No consta NT-proBNP", summary.Text, StringComparison.Ordinal);
        Assert.True(summary.Grounding.ClaimsChecked > 10);
        Assert.Empty(summary.Grounding.FailedClaims);
        Assert.Equal("hf-summary.v1.es", summary.PromptVersion);
        Assert.Contains("Observation/fx-posible-ntprobnp", summary.Sources);
    }

    [Fact]
    public void Given_the_symptom_sentence_When_ranked_Then_it_comes_before_the_denial()
    {
        var text = SummaryInputs.Extractive.Summarize(SummaryInputs.PossibleHeartFailure()).Text;

        var symptom = text.IndexOf("Refiere disnea", StringComparison.Ordinal);
        var denial = text.IndexOf("Niega ortopnea", StringComparison.Ordinal);

        Assert.True(symptom >= 0, "the symptom sentence is missing from the summary");
        Assert.True(denial >= 0, "the denial sentence is missing from the summary");
        Assert.True(symptom < denial, $"the symptom comes at {symptom}, after the denial at {denial}");
    }

    [Fact]
    public void Given_Catalan_notes_When_summarized_Then_the_summary_is_in_Catalan()
    {
        var summary = SummaryInputs.Extractive.Summarize(SummaryInputs.Catalan());

        Assert.Equal("ca", summary.Language);
        Assert.StartsWith("Resum extractiu", summary.Text, StringComparison.Ordinal);
        Assert.Contains("Falta per al diagnòstic:", summary.Text, StringComparison.Ordinal);
        Assert.Contains("- 02/04/2026: Crepitants bibasals.", summary.Text, StringComparison.Ordinal);
        Assert.Equal("hf-summary.v1.ca", summary.PromptVersion);
    }

    [Fact]
    public void Given_no_peptide_and_no_echo_When_summarized_Then_both_are_named_as_missing()
    {
        var input = SummaryInputs.PossibleHeartFailure() with { KeyValues = [] };

        var text = SummaryInputs.Extractive.Summarize(input).Text;

        Assert.Contains("No consta NT-proBNP ni BNP", text, StringComparison.Ordinal);
        Assert.Contains("No consta ecocardiograma", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_active_HF_diagnosis_When_summarized_Then_it_says_HF_is_diagnosed_instead_of_what_is_missing()
    {
        var input = SummaryInputs.PossibleHeartFailure() with
        {
            Diagnoses =
            [
                new SummaryDiagnosis("Insuficiencia cardiaca", true, true, new DateOnly(2024, 2, 20), "Condition/ic"),
            ],
        };

        var text = SummaryInputs.Extractive.Summarize(input).Text;

        Assert.Contains("- Insuficiencia cardiaca ya diagnosticada", text, StringComparison.Ordinal);
        Assert.DoesNotContain("No consta ecocardiograma", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es")]
    [InlineData("ca")]
    [InlineData("gl")]
    [InlineData("eu")]
    public void Given_each_prompt_file_When_loaded_Then_every_section_the_code_uses_is_there(string language)
    {
        var prompt = SummaryPrompt.For(language);

        foreach (
            var section in new[]
            {
                "system",
                "user",
                "extractive",
                "abstractive-header",
                "none",
                "nothing-missing",
                "known-hf",
                "missing-peptide",
                "missing-echo",
                "since",
                "NtProBnp",
                "Bnp",
                "Lvef",
                "Weight",
            }
        )
            Assert.NotEmpty(prompt.Section(section));
        foreach (
            var slot in new[]
            {
                "{{as_of}}",
                "{{history}}",
                "{{evidence}}",
                "{{values}}",
                "{{medications}}",
                "{{missing}}",
            }
        )
            Assert.Contains(slot, prompt.Section("user"), StringComparison.Ordinal);
        Assert.Equal($"hf-summary.v1.{language}", prompt.Version);
    }
}
