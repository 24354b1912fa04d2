using Clinical.Models.Training.Baselines;

namespace Clinical.Models.Tests.Training;

public sealed class BaselinesTests
{
    [Theory]
    [InlineData("Ingresa por insuficiencia cardiaca descompensada.", 1)]
    [InlineData("Antecedentes: HTA, DM2, ICC en tratamiento con furosemida.", 1)]
    [InlineData("Sin signos de insuficiencia cardiaca.", 1)]
    [InlineData("Control de HTA. Refiere disnea de esfuerzo.", 0)]
    [InlineData("Se quita el tic de la pierna.", 0)]
    public void Given_a_note_When_scored_by_the_keyword_baseline_Then_any_mention_counts(
        string note,
        double expected
    ) => Assert.Equal(expected, KeywordBaseline.Score(note));

    [Theory]
    [InlineData("Ingresa por insuficiencia cardiaca descompensada.", 0.75)]
    [InlineData("Antecedentes: HTA, DM2, ICC en tratamiento con furosemida.", 0.75)]
    [InlineData("Seguimiento en la Unidad de Insuficiencia Cardiaca.", 0.75)]
    [InlineData("Sin edemas. Sin signos de IC. Posteriormente, ingreso por insuficiencia cardiaca aguda.", 0.75)]
    [InlineData("Probable insuficiencia cardiaca, pendiente de ecocardiograma.", 0.5)]
    [InlineData("Sin signos de insuficiencia cardiaca en la exploración.", 0.1)]
    [InlineData("La paciente niega clínica de IC.", 0.1)]
    [InlineData("No presenta datos de insuficiencia cardiaca. Buena evolución.", 0.1)]
    [InlineData("Se descarta insuficiencia cardiaca tras el ecocardiograma.", 0.1)]
    [InlineData("Insuficiencia cardiaca descartada por ecocardiograma.", 0.1)]
    [InlineData("Padre con insuficiencia cardiaca a los 70 años.", 0.1)]
    [InlineData("Riesgo de insuficiencia cardiaca si abandona el tratamiento.", 0.1)]
    [InlineData("Flutter auricular IC con respuesta ventricular rápida.", 0)]
    [InlineData("Gasto cardiaco 4,1 l/min, IC 2,3 l/min/m2.", 0)]
    [InlineData("Control de HTA. Refiere disnea de esfuerzo.", 0)]
    public void Given_a_note_When_scored_by_the_negation_rule_Then_only_mentions_about_the_patient_make_it_positive(
        string note,
        double expected
    ) => Assert.Equal(expected, NegationRule.Score(note), 10);

    [Fact]
    public void Given_more_mentions_of_HF_in_the_patient_When_scored_Then_the_score_grows_below_one()
    {
        var once = NegationRule.Score("IC con FEVI 35 %.");
        var twice = NegationRule.Score("IC con FEVI 35 %. Ingreso por descompensación de su IC en 2024.");

        Assert.Equal(0.75, once, 10);
        Assert.Equal(0.875, twice, 10);
    }
}
