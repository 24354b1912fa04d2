using Clinical.Synthetic;
using Hl7.Fhir.Model;

namespace Clinical.Synthetic.Tests;

public sealed class TruthTests
{
    private static readonly string[] HeartFailureSnomed =
    [
        "84114007",
        "42343007",
        "88805009",
        "703272007",
        "446221000",
    ];

    private static bool IsHeartFailure(Condition condition) =>
        condition
            .Code.Codings()
            .Has(
                (system, code) =>
                    (system == "http://snomed.info/sct" && HeartFailureSnomed.Contains(code))
                    || (
                        system.StartsWith("http://hl7.org/fhir/sid/icd-10", StringComparison.Ordinal)
                        && code.StartsWith("I50", StringComparison.Ordinal)
                    )
            );

    [Fact]
    public void Given_truth_When_conditions_are_read_Then_diagnosed_if_and_only_if_an_hf_condition_exists()
    {
        var patients = SyntheticCohorts.EnrichedInMemory;
        Assert.Contains(patients, p => p.Truth.HfStatus == HfStatus.Diagnosed);
        Assert.Contains(patients, p => p.Truth.HfStatus == HfStatus.Undiagnosed);

        foreach (var patient in patients)
        {
            var hfConditions = patient.Resources.OfType<Condition>().Where(IsHeartFailure).ToList();
            Assert.Equal(patient.Truth.HfStatus == HfStatus.Diagnosed, hfConditions.Count > 0);
        }
    }

    [Fact]
    public void Given_diagnosed_patients_When_read_Then_condition_date_lvef_and_loop_diuretic_follow_the_diagnosis()
    {
        var diagnosed = SyntheticCohorts.EnrichedInMemory.Where(p => p.Truth.HfStatus == HfStatus.Diagnosed).ToList();
        Assert.NotEmpty(diagnosed);
        foreach (var patient in diagnosed)
        {
            var diagnosis = patient.Truth.DiagnosisDate!.Value;
            Assert.True(patient.Truth.OnsetDate < diagnosis);
            Assert.True(diagnosis <= SyntheticCohorts.Enriched.AsOfDate);
            var condition = Assert.Single(patient.Resources.OfType<Condition>(), IsHeartFailure);
            Assert.Equal(
                diagnosis.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                condition.RecordedDate
            );

            var lvef = patient
                .Resources.OfType<Observation>()
                .Single(o => o.Code.Codings().Has((_, code) => code is "10230-1" or "18043-0"));
            var value = lvef.Value.Number();
            Assert.True(
                patient.Truth.Phenotype switch
                {
                    HfPhenotype.HFrEF => value <= 40,
                    HfPhenotype.HFmrEF => value is > 40 and < 50,
                    _ => value >= 50,
                },
                $"{patient.Truth.Phenotype} with LVEF {value}"
            );

            Assert.Contains(
                patient.Resources.OfType<MedicationStatement>(),
                m =>
                    m.Medication.Codings()
                        .Has(
                            (system, code) =>
                                system == "http://www.whocc.no/atc"
                                && code.StartsWith("C03CA", StringComparison.Ordinal)
                        )
            );
        }
    }

    [Fact]
    public void Given_undiagnosed_patients_When_read_Then_onset_precedes_as_of_and_nothing_codes_or_treats_hf()
    {
        var undiagnosed = SyntheticCohorts
            .EnrichedInMemory.Where(p => p.Truth.HfStatus == HfStatus.Undiagnosed)
            .ToList();
        Assert.NotEmpty(undiagnosed);
        foreach (var patient in undiagnosed)
        {
            Assert.Null(patient.Truth.DiagnosisDate);
            Assert.True(patient.Truth.OnsetDate < SyntheticCohorts.Enriched.AsOfDate);
            Assert.NotNull(patient.Truth.Phenotype);
            Assert.DoesNotContain(patient.Resources.OfType<Condition>(), IsHeartFailure);
            Assert.DoesNotContain(
                patient.Resources.OfType<MedicationStatement>(),
                m =>
                    m.Medication.Codings()
                        .Has((_, code) => code.StartsWith("C03CA", StringComparison.Ordinal) || code == "C09DX04")
            );
        }
    }

    [Fact]
    public void Given_patients_without_hf_When_read_Then_truth_has_no_dates_or_phenotype()
    {
        var withoutHf = SyntheticCohorts.EnrichedInMemory.Where(p => p.Truth.HfStatus == HfStatus.None).ToList();
        Assert.NotEmpty(withoutHf);
        foreach (var patient in withoutHf)
        {
            Assert.Null(patient.Truth.OnsetDate);
            Assert.Null(patient.Truth.DiagnosisDate);
            Assert.Null(patient.Truth.Phenotype);
        }
    }

    [Fact]
    public void Given_hf_onset_When_visits_precede_diagnosis_Then_congestion_signs_are_recorded_more_than_without_hf()
    {
        var options = new CohortOptions(Patients: 400, Seed: 3, HfShare: 0.5, UndiagnosedShare: 0);
        double SignRate(bool heartFailure)
        {
            var visits = 0;
            var withSigns = 0;
            for (var i = 0; i < options.Patients; i++)
            {
                var person = Clinical.Synthetic.People.Population.Sample(options, i);
                if ((person.HfStatus != HfStatus.None) != heartFailure || person.AgeAtAsOf < 60)
                {
                    continue;
                }
                foreach (
                    var visit in Trajectories
                        .Build(person, options)
                        .Visits.Where(v => person.HfDiagnosis is not { } dx || DateOnly.FromDateTime(v.Start) < dx)
                )
                {
                    visits++;
                    withSigns += visit.Present.Any(s =>
                        s is Sign.ExertionalDyspnoea or Sign.Orthopnoea or Sign.AnkleOedema
                    )
                        ? 1
                        : 0;
                }
            }
            return withSigns / (double)visits;
        }

        Assert.True(SignRate(heartFailure: true) > 2 * SignRate(heartFailure: false));
    }

    [Fact]
    public void Given_hf_patients_When_nt_probnp_is_measured_Then_their_median_is_several_times_that_without_hf()
    {
        var tally = new CohortTally(SyntheticCohorts.Enriched);
        foreach (var patient in SyntheticCohorts.EnrichedInMemory)
        {
            tally.Add(patient);
        }
        var byStatus = tally.Build().NtProBnp.ToDictionary(d => d.HfStatus);

        Assert.True(byStatus[HfStatus.Undiagnosed].Median > 3 * byStatus[HfStatus.None].Median);
        Assert.True(byStatus[HfStatus.Diagnosed].Median > 2 * byStatus[HfStatus.None].Median);
    }
}
