using Clinical.Api.Features.Cohorts;
using Clinical.Api.Features.Training;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Fhir.Terminology;
using Clinical.Tests;
using Hl7.Fhir.Model;

namespace Clinical.Api.Tests.Features.Cohorts;

/// <summary>train-tabular and evaluate-cohort without truth follow finetune's weak-label rule (WeakLabels).</summary>
public sealed class CohortWeakLabelsTests
{
    private static readonly DateOnly AsOf = new(2026, 6, 30);

    [Fact]
    public void Given_the_fixture_cohort_without_truth_When_cut_Then_positives_and_cuts_are_finetunes_weak_labels()
    {
        var reader = new FhirInputReader();
        var extractor = new PatientRecordExtractor();
        var notes = new WeakLabels(reader, new BulkExportReader(reader), extractor)
            .FromFolder(FixtureFiles.PathOf("cohort"), WeakLabels.DefaultGapDays)
            .Examples.ToDictionary(e => e.Example.Id);

        var cases = CohortPatients
            .FromFolder(new BulkExportReader(reader), FixtureFiles.PathOf("cohort"), null, [], default)
            .Select(p => CohortCases.Training(p, extractor, AsOf))
            .OfType<CohortCase>()
            .ToList();

        var positives = cases.Where(c => c.Positive).ToList();
        Assert.NotEmpty(positives);
        Assert.Contains(cases, c => !c.Positive);
        Assert.Contains(positives, c => notes.ContainsKey(c.PatientReference));
        foreach (var @case in positives.Where(c => notes.ContainsKey(c.PatientReference)))
        {
            Assert.Equal(1, notes[@case.PatientReference].Example.Label);
            Assert.Equal(notes[@case.PatientReference].Cut, @case.CutDate);
        }
        Assert.All(
            cases.Where(c => !c.Positive && notes.ContainsKey(c.PatientReference)),
            c => Assert.Equal(0, notes[c.PatientReference].Example.Label)
        );
    }

    [Fact]
    public void Given_a_patient_whose_HF_code_is_undated_When_weak_labelled_Then_both_rules_leave_it_out()
    {
        var patient = new CohortPatient(
            "Patient/undated",
            [
                new AcceptedResource(new Patient { Id = "undated" }, null, "Patient/undated"),
                new AcceptedResource(
                    new Condition
                    {
                        Id = "hf",
                        Subject = new ResourceReference("Patient/undated"),
                        Code = new CodeableConcept(Snomed.System, Snomed.HeartFailure),
                    },
                    null,
                    "Condition/hf"
                ),
            ],
            null
        );
        var extractor = new PatientRecordExtractor();
        var record = Assert.Single(extractor.Extract(patient.Resources, AsOf, patient.PatientReference).Patients);

        Assert.True(WeakLabels.Diagnosis(record).Undated);
        Assert.Null(CohortCases.Training(patient, extractor, AsOf));
        Assert.Equal(1, WeakLabels.Label([record], WeakLabels.DefaultGapDays, []).UndatedDiagnoses);
    }
}
