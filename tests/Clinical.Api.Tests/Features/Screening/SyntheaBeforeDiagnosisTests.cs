using Clinical.Api.Features.Screening;
using Clinical.Api.Hosting;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Scoring;
using Clinical.Tests;

namespace Clinical.Api.Tests.Features.Screening;

/// <summary>
/// How issue 12 found the buried patients: Synthea patients with HF from outside the project (shared samples), their
/// HF diagnosis and HF drugs removed, as a GP would meet them before the diagnosis, screened six months after their
/// NT-proBNP (while alive) with the committed tabular model and stack. Every one has guideline-positive evidence, so
/// none may come out low.
/// </summary>
public sealed class SyntheaBeforeDiagnosisTests
{
    private static readonly DrugClass[] HeartFailureDrugs =
    [
        DrugClass.LoopDiuretic,
        DrugClass.MineralocorticoidAntagonist,
        DrugClass.SacubitrilValsartan,
        DrugClass.Sglt2Inhibitor,
        DrugClass.HeartFailureBetaBlocker,
        DrugClass.Digoxin,
        DrugClass.Ivabradine,
    ];

    [SharedSamplesFact]
    public void Given_Synthea_HF_patients_without_their_diagnosis_and_drugs_When_screened_Then_none_is_low()
    {
        var engine = RiskEngineLoader.Load(FixtureFiles.PathOf("models", "hf-tabular"), null);
        var files = Directory.GetFiles(FixtureFiles.SharedSamples("synthea-r4", "hf"), "*.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var parsed = new FhirInputReader().Read(File.ReadAllText(file), file);
            var extractor = new PatientRecordExtractor();
            var everything = Assert.Single(
                extractor.Extract(parsed.Resources, new DateOnly(2100, 1, 1), file).Patients
            );
            var peptide = everything.Of(MeasurementKind.NtProBnp).Min(m => m.When)!.Value;
            var asOf = DateOnly.FromDateTime(peptide.UtcDateTime).AddMonths(6);
            var record = Assert.Single(extractor.Extract(parsed.Resources, asOf, file).Patients);
            Assert.False(record.IsDeceased, $"{file} is deceased on {asOf}");
            var beforeDiagnosis = record with
            {
                Diagnoses = record.Diagnoses.Where(d => d.Category != ConditionCategory.HeartFailure).ToList(),
                Medications = record.Medications.Where(m => !HeartFailureDrugs.Contains(m.Class)).ToList(),
            };

            var estimate = engine.Assess(ScreeningMapping.ToRiskInput(beforeDiagnosis));

            Assert.True(
                estimate.Category is RiskCategory.Moderate or RiskCategory.High,
                $"{Path.GetFileName(file)} as of {asOf}: {estimate.Category} — {estimate.Rationale}"
            );
            Assert.NotNull(estimate.Floor);
        }
    }
}
