using Clinical.Api.Features.Cohorts;
using Clinical.Tests;

namespace Clinical.Api.Tests.Features.Cohorts;

public sealed class CohortPatientsTests
{
    /// <summary>
    /// Each fixture cohort patient's split in truth.ndjson order (T train, D dev, E test), recorded from the split
    /// that fitted the committed tabular model (fixtures/models/hf-tabular): the split must never move a patient.
    /// </summary>
    private const string FixtureSplits = "DTDTTETTDTETDTEEETTTDTETTTTTDTTDDEETTTTETTETDTETETDDTTDETETT";

    [Fact]
    public void Given_the_fixture_cohort_When_split_Then_every_patient_keeps_its_recorded_split()
    {
        var patients = File.ReadLines(FixtureFiles.PathOf("cohort", "truth.ndjson"))
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(line => CohortTruth.Parse(line).PatientReference)
            .ToList();

        var splits = string.Concat(
            patients.Select(p =>
                CohortPatients.Split(p) switch
                {
                    "train" => 'T',
                    "dev" => 'D',
                    "test" => 'E',
                    var other => throw new InvalidOperationException(other),
                }
            )
        );

        Assert.Equal(60, patients.Count);
        Assert.Equal(FixtureSplits, splits);
    }
}
