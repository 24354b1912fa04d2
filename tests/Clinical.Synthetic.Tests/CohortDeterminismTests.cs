using Clinical.Synthetic;

namespace Clinical.Synthetic.Tests;

public sealed class CohortDeterminismTests
{
    [Theory]
    [InlineData(CohortFormat.Ndjson)]
    [InlineData(CohortFormat.Bundles)]
    public void Given_same_seed_and_options_When_written_twice_Then_output_folders_are_byte_identical(
        CohortFormat format
    )
    {
        var options = new CohortOptions(Patients: 40, Seed: 20260630, Format: format, HfShare: 0.3);

        var first = SyntheticCohorts.WriteAndHash(options);
        var second = SyntheticCohorts.WriteAndHash(options);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Given_different_seeds_When_written_Then_output_folders_differ()
    {
        var options = new CohortOptions(Patients: 20, Seed: 1, Format: CohortFormat.Ndjson);

        var first = SyntheticCohorts.WriteAndHash(options);
        var second = SyntheticCohorts.WriteAndHash(options with { Seed = 2 });

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Given_a_cohort_When_patients_are_enumerated_in_memory_Then_truth_equals_the_written_truth_file()
    {
        var options = new CohortOptions(Patients: 30, Seed: 5, Format: CohortFormat.Ndjson, HfShare: 0.5);
        var folder = SyntheticCohorts.Write(options);

        var written = File.ReadAllLines(Path.Combine(folder, "truth.ndjson"));
        var inMemory = new CohortGenerator(options)
            .Patients()
            .Select(p => System.Text.Encoding.UTF8.GetString(CohortFolder.TruthLine(p.Truth)))
            .ToArray();

        Assert.Equal(inMemory, written);
    }

    [Fact]
    public void Given_one_patient_index_When_generated_alone_Then_it_equals_the_same_patient_in_the_cohort()
    {
        var generator = new CohortGenerator(new CohortOptions(Patients: 12, Seed: 9));

        var alone = generator.Patient(11);
        var inCohort = generator.Patients().Last();

        Assert.Equal(inCohort.Truth.PatientId, alone.Truth.PatientId);
        Assert.Equal(inCohort.Resources.Select(r => r.Id), alone.Resources.Select(r => r.Id));
    }

    [Fact]
    public void Given_no_as_of_date_When_options_are_read_Then_the_documented_default_applies()
    {
        var options = new CohortOptions(Patients: 1, Seed: 1);

        Assert.Equal(new DateOnly(2026, 6, 30), options.AsOfDate);
    }

    [Fact]
    public void Given_an_earlier_as_of_date_When_generated_Then_every_encounter_and_diagnosis_lies_on_or_before_it()
    {
        var asOf = new DateOnly(2023, 1, 31);
        var patients = new CohortGenerator(new CohortOptions(Patients: 60, Seed: 17, AsOf: asOf, HfShare: 0.5))
            .Patients()
            .ToList();

        var starts = patients
            .SelectMany(p => p.Resources.OfType<Hl7.Fhir.Model.Encounter>())
            .Select(e => DateOnly.Parse(e.Period!.Start![..10], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.NotEmpty(starts);
        Assert.True(starts.Max() <= asOf);
        Assert.True(starts.Min() >= asOf.AddYears(-5));
        var diagnosed = patients.Where(p => p.Truth.DiagnosisDate is not null).ToList();
        Assert.NotEmpty(diagnosed);
        Assert.All(diagnosed, p => Assert.True(p.Truth.DiagnosisDate <= asOf));
    }
}
