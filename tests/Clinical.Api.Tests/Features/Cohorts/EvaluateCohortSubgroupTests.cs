using Clinical.Api.Features.Cohorts;
using Clinical.Api.Hosting;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Evaluation;
using Clinical.Synthetic;
using Clinical.Tests;

namespace Clinical.Api.Tests.Features.Cohorts;

public sealed class EvaluateCohortSubgroupTests
{
    [Fact]
    public async Task Given_the_fixture_cohort_When_evaluated_at_1_and_2_percent_Then_subgroups_and_prevalence_shown()
    {
        var engine = RiskEngineLoader.Load(FixtureFiles.PathOf("models", "hf-tabular"), null);
        var handler = new EvaluateCohortHandler(
            new PatientRecordExtractor(),
            new BulkExportReader(new FhirInputReader()),
            engine
        );

        var evaluation = await handler.Handle(
            new EvaluateCohort(
                FixtureFiles.PathOf("cohort"),
                FixtureFiles.PathOf("cohort", "truth.ndjson"),
                CohortOptions.DefaultAsOf,
                [0.01, 0.02]
            ),
            CancellationToken.None
        );

        var combined = evaluation.Metrics.Single(m => m.Group == "all" && m.Component == "combined");
        Assert.Equal(combined.Patients, evaluation.Subgroups.Overall.Cases);
        Assert.Equal(combined.AtOperatingThreshold!.Sensitivity, evaluation.Subgroups.Overall.Sensitivity);
        var sexes = evaluation.Subgroups.Rows.Where(r => r.Dimension == Subgroup.Sex).ToList();
        Assert.Equal(combined.Patients, sexes.Sum(r => r.Cases));
        var ages = evaluation.Subgroups.Rows.Where(r => r.Dimension == Subgroup.Age).ToList();
        Assert.Equal(combined.Patients, ages.Sum(r => r.Cases));
        Assert.Equal(combined.Positives, ages.Sum(r => r.Positives));
        Assert.Contains(evaluation.Subgroups.Rows, r => r.Dimension == Subgroup.Language && r.Group == "ca");

        Assert.Equal([0.01, 0.02], evaluation.AtPrevalence.Select(p => p.Prevalence));
        Assert.All(
            evaluation.AtPrevalence,
            p =>
            {
                // The committed stacking.json predates calibrationPrevalence: its dev split's share from card.json.
                Assert.Equal(158.0 / 802, p.CalibratedAt, 12);
                Assert.Equal(combined.AtOperatingThreshold.Sensitivity, p.Sensitivity.Estimate, 12);
                Assert.Equal(
                    BinaryMetrics.PpvAt(p.Sensitivity.Estimate, p.Specificity.Estimate, p.Prevalence),
                    p.Ppv.Estimate,
                    12
                );
            }
        );
        var text = evaluation.ToText();
        Assert.Contains("| sex female |", text, StringComparison.Ordinal);
        Assert.Contains("| 0.02 | 0.197 |", text, StringComparison.Ordinal);
        Assert.Contains("\"subgroups\"", evaluation.ToJson(), StringComparison.Ordinal);
    }
}
