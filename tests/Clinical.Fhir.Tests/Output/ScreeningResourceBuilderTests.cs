using Clinical.Fhir.Output;

namespace Clinical.Fhir.Tests.Output;

public sealed class ScreeningResourceBuilderTests
{
    private static ScreeningReport Report(RiskLevel level, decimal probability) =>
        new(
            "Patient/p1",
            new DateOnly(2026, 6, 30),
            new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero),
            probability,
            level,
            [new EvidenceItem("Observation/nt", "NT-proBNP 870 pg/mL", null)],
            "Latest NT-proBNP above threshold.",
            new ReportText(
                "ca",
                "Risc alt (88 %): NT-proBNP 870 pg/mL per sobre de 125.",
                "Risc alt (88 %): NT-proBNP 870 pg/mL per sobre de 125.\n\nEvidència:\n1. NT-proBNP 870 pg/mL",
                "Insuficiència cardíaca",
                "Risc alt",
                "Possible insuficiència cardíaca no diagnosticada",
                "Avaluació del risc d'insuficiència cardíaca"
            ),
            new ModelIdentity("hf-screen-esc-peptide-rule", "0.1.0")
        );

    [Theory]
    [InlineData(RiskLevel.High, true)]
    [InlineData(RiskLevel.Moderate, true)]
    [InlineData(RiskLevel.Low, false)]
    [InlineData(RiskLevel.Negligible, false)]
    [InlineData(RiskLevel.Certain, false)]
    public void Given_a_risk_level_When_built_Then_a_Flag_exists_only_for_possible_undiagnosed_HF(
        RiskLevel level,
        bool flagged
    )
    {
        var resources = ScreeningResourceBuilder.Build(Report(level, 0.5m), "Device/model");

        Assert.Equal(flagged, resources.Flag is not null);
        Assert.Equal(
            ScreeningResourceBuilder.Code(level),
            resources.RiskAssessment.Prediction[0].QualitativeRisk!.Coding[0].Code
        );
    }

    [Fact]
    public void Given_a_report_When_built_Then_every_emitted_resource_passes_POCO_validation_and_our_invariants()
    {
        var resources = ScreeningResourceBuilder.Build(Report(RiskLevel.High, 0.88m), "Device/model");

        foreach (var resource in resources.All().Append(ScreeningResourceBuilder.Device(new ModelIdentity("m", "1"))))
            Assert.Empty(EmittedResourceCheck.Problems(resource));
    }

    [Fact]
    public void Given_a_report_When_built_Then_the_RiskAssessment_carries_basis_method_outcome_and_AI_label()
    {
        var risk = ScreeningResourceBuilder.Build(Report(RiskLevel.High, 0.88m), "Device/model").RiskAssessment;

        Assert.Equal("Observation/nt", Assert.Single(risk.Basis).Reference);
        Assert.Equal("hf-screen-esc-peptide-rule 0.1.0", risk.Method!.Text);
        Assert.Equal("84114007", risk.Prediction[0].Outcome!.Coding[0].Code);
        Assert.Equal(0.88m, Assert.IsType<Hl7.Fhir.Model.FhirDecimal>(risk.Prediction[0].Probability).Value);
        Assert.Equal("AIAST", Assert.Single(risk.Meta!.Security).Code);
    }

    [Fact]
    public void Given_a_Catalan_report_When_built_Then_language_note_and_texts_are_Catalan_codes_keep_their_systems()
    {
        var resources = ScreeningResourceBuilder.Build(Report(RiskLevel.High, 0.88m), "Device/model");
        var prediction = resources.RiskAssessment.Prediction[0];

        Assert.Equal("ca", resources.RiskAssessment.Language);
        Assert.StartsWith("Risc alt (88 %)", resources.RiskAssessment.Note[0].Text!, StringComparison.Ordinal);
        Assert.Equal("Insuficiència cardíaca", prediction.Outcome!.Text);
        Assert.Equal("Risc alt", prediction.QualitativeRisk!.Text);
        Assert.Equal("high", prediction.QualitativeRisk.Coding[0].Code);
        Assert.Equal("ca", resources.Flag!.Language);
        Assert.Equal("Possible insuficiència cardíaca no diagnosticada", resources.Flag.Code!.Text);
        Assert.Equal("Avaluació del risc d'insuficiència cardíaca", resources.RiskAssessmentTitle);
    }

    [Fact]
    public void Given_a_probability_above_one_When_checked_Then_the_invariant_check_catches_it()
    {
        var risk = ScreeningResourceBuilder.Build(Report(RiskLevel.High, 1.5m), "Device/model").RiskAssessment;

        Assert.Contains(EmittedResourceCheck.Problems(risk), p => p.Contains("outside 0..1", StringComparison.Ordinal));
    }
}
