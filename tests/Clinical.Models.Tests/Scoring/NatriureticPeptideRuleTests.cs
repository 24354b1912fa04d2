using Clinical.Models.Scoring;

namespace Clinical.Models.Tests.Scoring;

public sealed class NatriureticPeptideRuleTests
{
    private static readonly DateOnly AsOf = new(2026, 6, 30);

    private static RiskInput Patient(int? age = 70, PeptideResult[]? peptides = null, KnownDiagnosis[]? diagnoses = null) =>
        new("Patient/p", AsOf, age, peptides ?? [], diagnoses ?? []);

    private static PeptideResult NtProBnp(double value, string? comparator = null, int monthsAgo = 1) =>
        new(PeptideKind.NtProBnp, value, comparator, new DateTimeOffset(AsOf.ToDateTime(TimeOnly.MinValue)).AddMonths(-monthsAgo), "Observation/n");

    [Theory]
    [InlineData(125, RiskCategory.Moderate)]
    [InlineData(124.9, RiskCategory.Low)]
    [InlineData(900, RiskCategory.High)]
    [InlineData(20, RiskCategory.Negligible)]
    public void Given_NT_proBNP_When_assessed_Then_the_ESC_threshold_of_125_decides_the_flag(double value, RiskCategory expected)
    {
        var estimate = NatriureticPeptideRule.Assess(Patient(peptides: [NtProBnp(value)]));

        Assert.Equal(expected, estimate.Category);
        Assert.Equal("Observation/n", Assert.Single(estimate.Findings).Source);
    }

    [Fact]
    public void Given_BNP_at_35_When_assessed_Then_it_is_at_the_threshold()
    {
        var bnp = new PeptideResult(PeptideKind.Bnp, 35, null, null, "Observation/b");

        var estimate = NatriureticPeptideRule.Assess(Patient(peptides: [bnp]));

        Assert.Equal(RiskCategory.Moderate, estimate.Category);
        Assert.InRange(estimate.Probability, 0.24, 0.26);
    }

    [Fact]
    public void Given_an_active_HF_diagnosis_When_assessed_Then_it_is_certain_known_HF_whatever_the_peptide()
    {
        var estimate = NatriureticPeptideRule.Assess(Patient(
            peptides: [NtProBnp(40)],
            diagnoses: [new KnownDiagnosis("I50.9", new DateTimeOffset(2024, 2, 20, 0, 0, 0, TimeSpan.Zero), "Condition/c")]));

        Assert.Equal(RiskCategory.Certain, estimate.Category);
        Assert.Equal(1.0, estimate.Probability);
        Assert.Equal("Condition/c", Assert.Single(estimate.Findings).Source);
    }

    [Fact]
    public void Given_no_peptide_When_assessed_Then_the_risk_is_low_but_says_what_is_missing()
    {
        var estimate = NatriureticPeptideRule.Assess(Patient(age: 80));

        Assert.Equal(RiskCategory.Low, estimate.Category);
        Assert.Contains("NT-proBNP", Assert.Single(estimate.Missing), StringComparison.Ordinal);
        Assert.Contains("no puede descartarse", estimate.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_lower_bound_result_When_assessed_Then_the_comparator_is_kept_in_the_explanation()
    {
        var estimate = NatriureticPeptideRule.Assess(Patient(peptides: [NtProBnp(35000, ">")]));

        Assert.Equal(RiskCategory.High, estimate.Category);
        Assert.Contains(">35.000 pg/mL", estimate.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_only_a_peptide_older_than_two_years_When_assessed_Then_a_recent_one_is_asked_for()
    {
        var estimate = NatriureticPeptideRule.Assess(Patient(peptides: [NtProBnp(60, monthsAgo: 30)]));

        Assert.NotEmpty(estimate.Missing);
    }
}
