using Hl7.Fhir.Model;

namespace Clinical.Synthetic.Tests;

public sealed class LabUnitTests
{
    private static IEnumerable<Observation> Observations(params string[] codes) =>
        SyntheticCohorts
            .EnrichedInMemory.SelectMany(p => p.Resources.OfType<Observation>())
            .Where(o => o.Code.Codings().Has((_, code) => codes.Contains(code)));

    [Fact]
    public void Given_nt_probnp_results_When_units_are_read_Then_pg_per_ml_ng_per_l_and_pmol_per_l_occur_consistently()
    {
        var results = Observations("33762-6", "71425-3").Select(o => o.Value.AsQuantity()).ToList();

        Assert.Equal(
            ["ng/L", "pg/mL", "pmol/L"],
            results.Select(q => q.Code ?? string.Empty).Distinct().Order(StringComparer.Ordinal)
        );
        var pmol = results.Where(q => q.Code == "pmol/L").Select(q => q.Number() * 8.457).Order().ToList();
        var mass = results.Where(q => q.Code != "pmol/L").Select(q => q.Number()).Order().ToList();
        Assert.InRange(pmol[pmol.Count / 2] / mass[mass.Count / 2], 0.25, 4);
    }

    [Fact]
    public void Given_creatinine_results_When_units_are_read_Then_both_mg_per_dl_and_umol_per_l_occur_in_their_ranges()
    {
        var results = Observations("2160-0").Select(o => o.Value.AsQuantity()).ToList();

        Assert.All(results.Where(q => q.Code == "mg/dL"), q => Assert.InRange(q.Number(), 0.3, 8));
        Assert.All(results.Where(q => q.Code == "umol/L"), q => Assert.InRange(q.Number(), 25, 700));
        Assert.Contains(results, q => q.Code == "umol/L");
        Assert.Contains(results, q => q.Code == "mg/dL");
    }

    [Fact]
    public void Given_any_quantity_When_read_Then_it_is_coded_in_ucum()
    {
        var quantities = SyntheticCohorts
            .EnrichedInMemory.SelectMany(p => p.Resources.OfType<Observation>())
            .SelectMany(o => o.Component.Select(c => c.Value).Prepend(o.Value))
            .OfType<Quantity>()
            .ToList();

        Assert.NotEmpty(quantities);
        Assert.All(quantities, q => Assert.Equal("http://unitsofmeasure.org", q.System));
    }

    [Fact]
    public void Given_blood_pressure_When_read_Then_it_is_a_panel_with_systolic_above_diastolic()
    {
        var panels = Observations("85354-9").ToList();

        Assert.NotEmpty(panels);
        foreach (var panel in panels)
        {
            var systolic = panel.Component.Single(c => c.Code.Codings().Has((_, code) => code == "8480-6")).Value;
            var diastolic = panel.Component.Single(c => c.Code.Codings().Has((_, code) => code == "8462-4")).Value;
            Assert.True(systolic.Number() > diastolic.Number());
            Assert.Equal("mm[Hg]", systolic.UnitCode());
        }
    }
}
