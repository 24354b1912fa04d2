using Clinical.Api.Features.Cohorts;
using Clinical.Api.Features.Screening;
using Clinical.Api.Hosting;
using Clinical.DevTools.Checkpoints;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Tabular;
using Clinical.Synthetic;
using Clinical.Tests;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Features.Cohorts;

public sealed class CohortModelTests
{
    [Fact]
    public async Task Given_a_generated_cohort_When_the_tabular_model_is_trained_Then_model_card_and_stacking_load()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"hf-tabular-{Guid.NewGuid():N}");
        try
        {
            var request = new TrainTabular(
                null,
                null,
                new CohortOptions(300, 3, CohortFormat.Ndjson, HfShare: 0.3),
                CohortOptions.DefaultAsOf,
                folder,
                null,
                "clinical train-tabular --generate 300"
            );

            var summary = await new TrainTabularHandler(
                new PatientRecordExtractor(),
                new BulkExportReader(new FhirInputReader())
            ).Handle(request, CancellationToken.None);

            var engine = RiskEngineLoader.Load(folder, null);
            Assert.Equal(TabularFeatures.Names, engine.Tabular!.Card.Features);
            Assert.Equal("clinical train-tabular --generate 300", engine.Tabular.Card.Command);
            Assert.Contains(engine.Combiner.Fits, f => f.Pattern == "rules+tabular");
            Assert.True(summary.Metrics["test combined"].Auroc > 0.8, summary.ToText());
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Given_the_fixture_cohort_When_evaluated_Then_each_component_has_intervals_and_lead_time_is_given()
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
                CohortOptions.DefaultAsOf
            ),
            CancellationToken.None
        );

        Assert.Equal(
            ["combined", "combined without the guideline floor", "rules only", "tabular only"],
            evaluation.Metrics.Where(m => m.Group == "all").Select(m => m.Component)
        );
        Assert.All(
            evaluation.Metrics.Where(m => m.Group == "all"),
            m => Assert.InRange(m.Auprc.Estimate, m.Auprc.Lower, m.Auprc.Upper)
        );
        var lead = evaluation.LeadTimes.First(l => l.Component == "combined");
        Assert.True(lead.Patients > 0);
        Assert.Contains("| all | combined |", evaluation.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_note_classifier_When_the_fixture_cohort_is_evaluated_Then_notes_alone_is_measured_too()
    {
        var folder = Directory.CreateTempSubdirectory("tiny-note-model-").FullName;
        try
        {
            TinyRobertaCheckpoint.Write(
                folder,
                [
                    "Refiere disnea de esfuerzo y edemas en MMII.",
                    "Nega ortopnea. AR: crepitants bibasals.",
                    "Control HTA, asintomático.",
                ]
            );
            var engine = RiskEngineLoader.Load(FixtureFiles.PathOf("models", "hf-tabular"), folder, "cpu");
            var handler = new EvaluateCohortHandler(
                new PatientRecordExtractor(),
                new BulkExportReader(new FhirInputReader()),
                engine
            );

            var evaluation = await handler.Handle(
                new EvaluateCohort(
                    FixtureFiles.PathOf("cohort"),
                    FixtureFiles.PathOf("cohort", "truth.ndjson"),
                    CohortOptions.DefaultAsOf
                ),
                CancellationToken.None
            );

            Assert.Contains(
                evaluation.Metrics,
                m => m.Group == "all" && m.Component == "notes only" && m.CombinedAuprcGain is not null
            );
            engine.Dispose();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
