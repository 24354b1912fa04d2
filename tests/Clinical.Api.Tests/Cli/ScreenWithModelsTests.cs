using Clinical.Api.Cli;
using Clinical.Api.Hosting;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Cli;

public sealed class ScreenWithModelsTests
{
    [Fact]
    public async Task Given_the_tabular_model_When_screened_Then_the_rationale_keeps_each_component_and_lists_evidence()
    {
        var database = Path.Combine(Path.GetTempPath(), $"clinical-models-{Guid.NewGuid():N}.db");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        try
        {
            var exit = await ScreenVerb.RunAsync(
                [FixtureFiles.PathOf("bundles")],
                new DateOnly(2026, 6, 30),
                database,
                stdout,
                stderr,
                CancellationToken.None,
                CommonOptions.ToModelArgs(FixtureFiles.PathOf("models", "hf-tabular"), null)
            );

            Assert.Equal(Verbs.Success, exit);
            var bundle = FhirJson.Deserialize<Bundle>(stdout.ToString());
            var risks = bundle
                .Entry.Select(e => e.Resource)
                .OfType<RiskAssessment>()
                .ToDictionary(r => r.Subject.Reference!);
            var possible = risks["Patient/fx-posible-ic"];
            Assert.True(possible.Prediction[0].QualitativeRisk!.Coding[0].Code is "moderate" or "high");
            Assert.Matches(@"rules=0\.\d+; tabular=0\.\d+; notes=absent", possible.Prediction[0].Rationale);
            Assert.Contains("Evidencia:\n1. NT-proBNP 870,2 pg/mL", possible.Note[0].Text, StringComparison.Ordinal);
            Assert.Contains(
                "— DocumentReference/fx-posible-nota (caracteres ",
                possible.Note[0].Text,
                StringComparison.Ordinal
            );
            Assert.Equal("certain", risks["Patient/fx-ic-diagnosticada"].Prediction[0].QualitativeRisk!.Coding[0].Code);
            Assert.Equal(
                ["Patient/fx-posible-ic", "Patient/fx-sospita-ca"],
                bundle
                    .Entry.Select(e => e.Resource)
                    .OfType<Flag>()
                    .Select(f => f.Subject.Reference)
                    .Order(StringComparer.Ordinal)
            );
        }
        finally
        {
            foreach (var file in new[] { database, database + "-shm", database + "-wal" })
                File.Delete(file);
        }
    }

    [Fact]
    public void Given_a_named_model_folder_that_does_not_exist_When_the_engine_loads_Then_it_names_the_setting()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() =>
            RiskEngineLoader.Load("/nonexistent/hf-tabular", null)
        );

        Assert.Contains(RiskEngineLoader.TabularKey, error.Message, StringComparison.Ordinal);
    }
}
