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
    [InlineData("Ingresa por insuficiencia cardiaca descompensada.", 1)]
    [InlineData("Antecedentes: HTA, DM2, ICC en tratamiento con furosemida.", 1)]
    [InlineData("Sin signos de insuficiencia cardiaca en la exploración.", 0)]
    [InlineData("La paciente niega clínica de IC.", 0)]
    [InlineData("No presenta datos de insuficiencia cardiaca. Buena evolución.", 0)]
    [InlineData("Se descarta insuficiencia cardiaca tras el ecocardiograma.", 0)]
    [InlineData("Insuficiencia cardiaca descartada por ecocardiograma.", 0)]
    [InlineData("Padre con insuficiencia cardiaca a los 70 años.", 0)]
    [InlineData("Riesgo de insuficiencia cardiaca si abandona el tratamiento.", 0)]
    [InlineData("Seguimiento en la Unidad de Insuficiencia Cardiaca.", 0)]
    [InlineData("Flutter auricular IC con respuesta ventricular rápida.", 0)]
    [InlineData("Probable insuficiencia cardiaca, pendiente de ecocardiograma.", 0.5)]
    [InlineData("Sin edemas. Sin signos de IC. Posteriormente, ingreso por insuficiencia cardiaca aguda.", 1)]
    public void Given_a_note_When_scored_by_the_negation_rule_Then_negated_familial_and_hypothetical_mentions_are_out(
        string note,
        double expected
    ) => Assert.Equal(expected, NegationRule.Score(note));
}
