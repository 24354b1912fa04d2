using Clinical.Fhir.Extraction;
using Clinical.Synthetic;

namespace Clinical.Synthetic.Tests;

public sealed class PopulationTests
{
    private static void AssertNear(ShareWithTarget row, int n, double standardErrors = 4)
    {
        var target = row.Target!.Value;
        var tolerance = standardErrors * Math.Sqrt(target * (1 - target) / n) + 0.002;
        Assert.True(
            Math.Abs(row.Share - target) <= tolerance,
            $"{row.Name}: {row.Share:P2} vs target {target:P2} (±{tolerance:P2})"
        );
    }

    [Fact]
    public void Natural_rates_give_one_to_two_and_a_half_percent_hf_overall_and_more_than_eight_percent_from_75()
    {
        Assert.InRange(Epidemiology.NaturalHfShare, 0.01, 0.025);
        Assert.True(Epidemiology.NaturalHfShareAged75Plus > 0.08);
    }

    [Fact]
    public void Given_2000_patients_at_natural_rates_When_summarised_Then_hf_share_matches_its_target()
    {
        var summary = SyntheticCohorts.Population;
        var hf = summary.HfStatus.Where(r => r.Name != "None").Sum(r => r.Share);

        Assert.Equal(2000, summary.Patients);
        Assert.InRange(hf, summary.HfTarget - 0.012, summary.HfTarget + 0.012);
    }

    [Fact]
    public void Given_2000_patients_at_natural_rates_When_summarised_Then_every_comorbidity_matches_its_target()
    {
        var summary = SyntheticCohorts.Population;

        Assert.Equal(Epidemiology.GeneratedComorbidities.Length, summary.Comorbidities.Count);
        foreach (var row in summary.Comorbidities)
        {
            AssertNear(row, summary.Patients);
        }
    }

    [Fact]
    public void Given_2000_patients_When_summarised_Then_note_languages_follow_the_regional_proportions()
    {
        var summary = SyntheticCohorts.Population;
        var notes = summary.NotesByLanguage.Sum(r => r.Count);

        foreach (var row in summary.NotesByLanguage)
        {
            Assert.True(
                Math.Abs(row.Share - row.Target!.Value) < 0.03,
                $"{row.Name}: {row.Share:P1} vs {row.Target:P1}"
            );
            Assert.True(row.Count > 0, $"no notes in {row.Name}");
        }
        Assert.True(summary.NotesByLanguage.Single(r => r.Name == "es").Share > 0.8);
        Assert.True(notes > 5000);
    }

    [Fact]
    public void Given_an_hf_enrichment_When_persons_are_sampled_Then_hf_and_undiagnosed_shares_match_the_options()
    {
        var options = new CohortOptions(Patients: 5000, Seed: 21, HfShare: 0.3, UndiagnosedShare: 0.35);
        var persons = Enumerable.Range(0, options.Patients).Select(i => Population.Sample(options, i)).ToList();

        var hf = persons.Count(p => p.HfStatus != HfStatus.None);
        var undiagnosed = persons.Count(p => p.HfStatus == HfStatus.Undiagnosed);

        Assert.InRange(hf / 5000.0, 0.3 - 0.026, 0.3 + 0.026);
        Assert.InRange(undiagnosed / (double)hf, 0.35 - 0.05, 0.35 + 0.05);
        Assert.True(
            persons.Where(p => p.HfStatus != HfStatus.None).Average(p => p.AgeAtAsOf)
                > persons.Where(p => p.HfStatus == HfStatus.None).Average(p => p.AgeAtAsOf) + 15
        );
    }

    [Fact]
    public void Given_sampled_persons_When_mimics_are_recorded_Then_each_mimic_occurs_and_follows_its_cause()
    {
        var options = new CohortOptions(Patients: 3000, Seed: 4);
        var persons = Enumerable.Range(0, options.Patients).Select(i => Population.Sample(options, i)).ToList();

        foreach (var mimic in Enum.GetValues<HfMimic>())
        {
            Assert.Contains(persons, p => p.Mimics().Contains(mimic));
        }
        Assert.All(
            persons.Where(p => p.AmlodipineOedema),
            p => Assert.True(p.OnAmlodipine && p.Has(ConditionCategory.Hypertension))
        );
        Assert.All(persons.Where(p => p.CopdExacerbator), p => Assert.True(p.Has(ConditionCategory.Copd)));
    }

    [Fact]
    public void Given_only_spanish_allowed_When_notes_are_written_Then_every_note_is_spanish()
    {
        var summary = new CohortGenerator(
            new CohortOptions(Patients: 150, Seed: 8, Languages: [NoteLanguage.Spanish])
        ).Summarise();

        Assert.Equal(1.0, summary.NotesByLanguage.Single(r => r.Name == "es").Share);
    }

    [Fact]
    public void Given_language_codes_When_parsed_Then_the_cli_list_maps_to_languages()
    {
        Assert.Equal(
            [NoteLanguage.Spanish, NoteLanguage.Catalan, NoteLanguage.Basque, NoteLanguage.Galician],
            NoteLanguageCodes.ParseList("es,ca,eu,gl")
        );
        Assert.Throws<ArgumentException>(() => NoteLanguageCodes.ParseList("es,fr"));
    }

    [Fact]
    public void Given_a_summary_When_printed_Then_text_and_json_carry_the_prevalences()
    {
        var summary = SyntheticCohorts.Population;

        var json = System.Text.Json.JsonDocument.Parse(summary.ToJson()).RootElement;
        Assert.Equal(2000, json.GetProperty("patients").GetInt32());
        Assert.Equal(3, json.GetProperty("ntProBnp").GetArrayLength());
        Assert.Contains("Hypertension", summary.ToText(), StringComparison.Ordinal);
    }
}
