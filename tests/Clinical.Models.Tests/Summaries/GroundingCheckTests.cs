using Clinical.Models.Summaries;

namespace Clinical.Models.Tests.Summaries;

public sealed class GroundingCheckTests
{
    private static readonly SummaryInput Input = SummaryInputs.PossibleHeartFailure();

    [Fact]
    public void Given_a_planted_unsupported_number_When_checked_Then_that_sentence_is_removed_and_the_claim_reported()
    {
        const string summary =
            "Disnea de esfuerzo desde hace 3 meses. NT-proBNP 2.950 pg/mL el 12/03/2026. Peso 88,4 kg.";

        var report = GroundingCheck.Apply(summary, Input, SummaryInputs.Drugs);

        Assert.Equal("Disnea de esfuerzo desde hace 3 meses. Peso 88,4 kg.", report.Text);
        var failed = Assert.Single(report.FailedClaims);
        Assert.Equal((ClaimKind.Number, "2.950"), (failed.Kind, failed.Text));
        Assert.Equal(4, report.ClaimsChecked);
        Assert.Equal(1, report.SentencesRemoved);
    }

    [Fact]
    public void Given_supported_numbers_dates_and_drugs_When_checked_Then_every_claim_passes()
    {
        const string summary =
            "NT-proBNP 870 pg/mL (12/03/2026), es decir 870,2 pg/mL el 2026-03-12. Nota de 5 de marzo de 2026: "
            + "TA 152/88. En tratamiento con furosemida. HTA desde 2012.";

        var report = GroundingCheck.Apply(summary, Input, SummaryInputs.Drugs);

        Assert.Equal(summary, report.Text);
        Assert.Empty(report.FailedClaims);
        Assert.Equal(9, report.ClaimsChecked);
    }

    [Theory]
    [InlineData("Ecocardiograma del 14/03/2026.", ClaimKind.Date, "14/03/2026")]
    [InlineData("Empeora desde abril de 2026.", ClaimKind.Date, "abril de 2026")]
    [InlineData("Inicia bisoprolol.", ClaimKind.Drug, "bisoprolol")]
    [InlineData("FEVI 38,5 %.", ClaimKind.Number, "38,5")]
    public void Given_an_unsupported_claim_of_each_kind_When_checked_Then_it_fails(
        string summary,
        ClaimKind kind,
        string text
    )
    {
        var report = GroundingCheck.Apply(summary, Input, SummaryInputs.Drugs);

        var failed = Assert.Single(report.FailedClaims);
        Assert.Equal((kind, text), (failed.Kind, failed.Text));
        Assert.Equal("", report.Text);
    }

    [Fact]
    public void Given_mark_mode_When_a_claim_fails_Then_the_sentence_stays_marked()
    {
        var report = GroundingCheck.Apply(
            "Peso 97 kg. Niega ortopnea.",
            Input,
            SummaryInputs.Drugs,
            GroundingMode.Mark
        );

        Assert.Equal($"Peso 97 kg. {GroundingCheck.UnsupportedMark} Niega ortopnea.", report.Text);
        Assert.Equal(0, report.SentencesRemoved);
    }

    [Theory]
    [InlineData("1.450", 1450)]
    [InlineData("38,5", 38.5)]
    [InlineData("102.9", 102.9)]
    [InlineData("1.450,5", 1450.5)]
    public void Given_Spanish_number_formats_When_parsed_Then_the_thousands_dot_and_decimal_comma_are_read(
        string text,
        double value
    )
    {
        Assert.Equal((decimal)value, ClinicalNumbers.Parse(text)!.Value);
    }

    [Fact]
    public void Given_names_with_digits_When_numbers_are_found_Then_DM2_and_SatO2_are_not_numbers()
    {
        Assert.Equal(["95"], ClinicalNumbers.Find("DM2, SatO2 95%").Select(n => n.Text));
    }

    [Theory]
    [InlineData("el 12/03/2026", 2026, 3, 12, true)]
    [InlineData("el 2026-03-12", 2026, 3, 12, true)]
    [InlineData("12 de març del 2026", 2026, 3, 12, true)]
    [InlineData("2026ko martxoaren 12an", 2026, 3, 12, true)]
    [InlineData("marzo de 2026", 2026, 3, 1, false)]
    public void Given_dates_in_several_languages_When_found_Then_day_and_precision_are_read(
        string text,
        int year,
        int month,
        int day,
        bool hasDay
    )
    {
        var (_, date) = Assert.Single(ClinicalDates.Find(text));

        Assert.Equal(new ClinicalDate(new DateOnly(year, month, day), hasDay), date);
    }
}
