using Clinical.Api.Features.Cohorts;
using Clinical.Fhir.Extraction;
using Clinical.Synthetic;

namespace Clinical.Api.Tests.Features.Cohorts;

public sealed class CohortCasesTests
{
    private static readonly CohortOptions Options = new(80, 17, CohortFormat.Ndjson, HfShare: 0.5);

    [Fact]
    public void Given_diagnosed_patients_When_training_cases_are_cut_Then_nothing_from_diagnosis_on_leaks_in()
    {
        var extractor = new PatientRecordExtractor();

        var cases = CohortPatients
            .Generated(Options, 2)
            .Select(p => (Patient: p, Case: CohortCases.Training(p, extractor, Options.AsOfDate)))
            .Where(c => c.Case is { Status: "diagnosed" })
            .ToList();

        Assert.NotEmpty(cases);
        var laterFacts = 0;
        foreach (var (patient, @case) in cases)
        {
            Assert.True(@case!.Positive);
            Assert.Empty(@case.Input.HeartFailureDiagnoses);
            var cut = new DateTimeOffset(@case.CutDate.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero);
            Assert.All(@case.Input.Peptides, p => Assert.True(p.When <= cut));
            Assert.All(@case.Input.Notes, n => Assert.True(n.When <= cut));
            Assert.All(@case.Input.Treatments, t => Assert.True(t.When <= cut));
            var whole = Assert.Single(
                extractor.Extract(patient.Resources, Options.AsOfDate, patient.PatientReference).Patients
            );
            laterFacts += whole.Notes.Count(n => n.When > cut) + whole.Measurements.Count(m => m.When > cut);
        }
        Assert.True(laterFacts > 0, "no note or measurement lies after a cut, so the checks above could not fail");
    }

    [Fact]
    public void Given_a_cohort_When_split_by_patient_Then_each_patient_lands_in_one_split_about_60_20_20()
    {
        var splits = Enumerable.Range(0, 5000).Select(i => CohortPatients.Split($"Patient/{i}")).ToList();

        Assert.InRange(splits.Count(s => s == "train") / 5000.0, 0.55, 0.65);
        Assert.InRange(splits.Count(s => s == "dev") / 5000.0, 0.16, 0.24);
        Assert.Equal(CohortPatients.Split("Patient/42"), CohortPatients.Split("Patient/42"));
    }
}
