using Clinical.Api.Cli;
using Clinical.Fhir.Output;
using Clinical.Models.Scoring;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Cli;

/// <summary>
/// The three guideline-positive patterns a new user found buried (issue 12), as records written for this test
/// (fixtures/guideline-floor: a Patient, an NT-proBNP and an LVEF, no HF code, as the extraction sees them), screened
/// through `screen` with the committed tabular model and stack. Before the guideline floor each came out `low`
/// (rationale rules ≈ 0.95–0.98, tabular ≈ 0.05–0.08, p 15–21 %).
/// </summary>
public sealed class GuidelineFloorScreenTests : IDisposable
{
    /// <summary>The committed cut-offs (stacking.json, to the 4 decimals a RiskAssessment shows).</summary>
    private static readonly RiskThresholds Cuts = StackedCombiner
        .Load(FixtureFiles.PathOf("models", "hf-tabular"))
        .Thresholds;
    private readonly string _work = Directory.CreateTempSubdirectory("guideline-floor-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private async Task<(RiskAssessment Risk, Flag? Flag)> Screen(string fixture, string patient)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ScreenVerb.RunAsync(
            [FixtureFiles.PathOf("guideline-floor", fixture)],
            new DateOnly(2026, 6, 30),
            Path.Combine(_work, "clinical.db"),
            stdout,
            stderr,
            CancellationToken.None,
            CommonOptions.ToModelArgs(FixtureFiles.PathOf("models", "hf-tabular"), null)
        );
        Assert.Equal(Verbs.Success, exit);
        var resources = FhirJson.Deserialize<Bundle>(stdout.ToString()).Entry.Select(e => e.Resource).ToList();
        return (
            resources.OfType<RiskAssessment>().Single(r => r.Subject.Reference == patient),
            resources.OfType<Flag>().SingleOrDefault(f => f.Subject.Reference == patient)
        );
    }

    private static void AssertFlaggedByTheFloor(RiskAssessment risk, Flag? flag, string criteria)
    {
        var prediction = risk.Prediction[0];
        Assert.Equal("moderate", prediction.QualitativeRisk!.Coding[0].Code);
        Assert.InRange((double)((FhirDecimal)prediction.Probability!).Value!.Value, Cuts.Moderate, Cuts.High - 0.0001);
        Assert.NotNull(flag);
        Assert.Contains("GUIDELINE FLOOR decided the level", prediction.Rationale, StringComparison.Ordinal);
        Assert.Contains(
            $"Criterio de la guía ESC 2021 sin diagnóstico de IC: {criteria}; el riesgo es como mínimo moderado "
                + "(nivel fijado por este criterio).",
            risk.Note[0].Text!,
            StringComparison.Ordinal
        );
        Assert.StartsWith("Riesgo moderado (", risk.Note[0].Text!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_80_year_old_with_NT_proBNP_437_and_LVEF_39_no_HF_code_When_screened_Then_flagged()
    {
        var (risk, flag) = await Screen("octogenario-ntprobnp-437-fevi-39.json", "Patient/fx-suelo-80");

        AssertFlaggedByTheFloor(risk, flag, "NT-proBNP 437 pg/mL (30/12/2025) ≥ 125 y FEVI 39 % (20/01/2026) ≤ 49 %");
    }

    [Fact]
    public async Task Given_LVEF_40_and_NT_proBNP_369_ng_L_no_HF_code_When_screened_Then_flagged_by_the_floor()
    {
        var (risk, flag) = await Screen("fevi-40-ntprobnp-369.json", "Patient/fx-suelo-fevi-40");

        AssertFlaggedByTheFloor(risk, flag, "NT-proBNP 369 pg/mL (10/02/2026) ≥ 125 y FEVI 40 % (01/03/2026) ≤ 49 %");
    }

    [Fact]
    public async Task Given_LVEF_41_and_NT_proBNP_56_4_pmol_L_no_HF_code_When_screened_Then_flagged_by_the_floor()
    {
        var (risk, flag) = await Screen("fevi-41-ntprobnp-477.json", "Patient/fx-suelo-fevi-41");

        // 56.4 pmol/L × 8.457 = 477 pg/mL.
        AssertFlaggedByTheFloor(risk, flag, "NT-proBNP 477 pg/mL (05/11/2025) ≥ 125 y FEVI 41 % (26/11/2025) ≤ 49 %");
    }
}
