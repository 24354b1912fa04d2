using System.Text.Json;
using System.Text.RegularExpressions;
using Clinical.Api.Cli;
using Clinical.DevTools.Checkpoints;
using Clinical.Fhir.Output;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Cli;

/// <summary>
/// --note-model-for LANG=DIR (Clinical:NoteModels:LANG) through the verbs: a tiny Spanish default classifier and a
/// tiny RoBERTa-ca-shaped one for Catalan notes.
/// </summary>
public sealed partial class NoteModelsByLanguageTests : IDisposable
{
    private const string Spanish = "Refiere disnea de esfuerzo y ortopnea con edemas en las piernas.";
    private const string Catalan = "Refereix dispnea d'esforç i ortopnea amb edemes a les cames.";
    private readonly string _work = Directory.CreateTempSubdirectory("note-models-").FullName;

    public NoteModelsByLanguageTests()
    {
        TinyRobertaCheckpoint.Write(SpanishModel, [Spanish, "Control de HTA sin síntomas.", "Dolor lumbar mecánico."]);
        TinyAliaEncoders.WriteRobertaCa(CatalanModel);
    }

    private string SpanishModel => Path.Combine(_work, "es-model");

    private string CatalanModel => Path.Combine(_work, "ca-model");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static double CatalanAlone(string folder, string text)
    {
        using var classifier = NoteClassifier.Load(folder, ComputeTarget.Cpu);
        return classifier.Classify([text])[0].Probability;
    }

    [Fact]
    public async Task Given_a_catalan_model_When_classify_runs_Then_each_line_names_its_language_and_model()
    {
        var input = Path.Combine(_work, "notes.jsonl");
        var output = Path.Combine(_work, "scores.jsonl");
        File.WriteAllLines(
            input,
            [
                JsonSerializer.Serialize(new { id = "es1", text = Spanish }),
                JsonSerializer.Serialize(new { id = "ca1", text = Catalan }),
                JsonSerializer.Serialize(
                    new
                    {
                        id = "ca2",
                        text = Spanish,
                        language = "ca",
                    }
                ),
            ]
        );

        string[] args =
        [
            "classify",
            "--model",
            SpanishModel,
            "--input",
            input,
            "--output",
            output,
            "--device",
            "cpu",
            "--note-model-for",
            $"ca={CatalanModel}",
        ];

        var exit = await Verbs.RunAsync(args);

        Assert.Equal(Verbs.Success, exit);
        var lines = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(
            [("es1", "es", "es-model"), ("ca1", "ca", "ca-model"), ("ca2", "ca", "ca-model")],
            lines.Select(l =>
                (
                    l.GetProperty("id").GetString(),
                    l.GetProperty("language").GetString(),
                    l.GetProperty("model").GetString()
                )
            )
        );
        Assert.Equal(CatalanAlone(CatalanModel, Catalan), lines[1].GetProperty("probability").GetDouble(), 1e-6);
        Assert.Equal(CatalanAlone(CatalanModel, Spanish), lines[2].GetProperty("probability").GetDouble(), 1e-6);
    }

    [Fact]
    public async Task Given_a_catalan_model_When_evaluate_runs_Then_figures_are_given_per_language_with_their_model()
    {
        var data = Path.Combine(_work, "labelled.jsonl");
        File.WriteAllLines(
            data,
            [
                JsonSerializer.Serialize(
                    new
                    {
                        id = "e1",
                        text = Spanish,
                        label = 1,
                    }
                ),
                JsonSerializer.Serialize(
                    new
                    {
                        id = "e2",
                        text = "Control de la tensión, sin síntomas.",
                        label = 0,
                    }
                ),
                JsonSerializer.Serialize(
                    new
                    {
                        id = "c1",
                        text = Catalan,
                        label = 1,
                    }
                ),
                JsonSerializer.Serialize(
                    new
                    {
                        id = "c2",
                        text = "Control de la tensió, sense símptomes.",
                        label = 0,
                    }
                ),
            ]
        );
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var refused = await Verbs.RunAsync(
            ["evaluate", "--model", SpanishModel, "--data", data, "--note-model-for", $"catalan={CatalanModel}"],
            TextWriter.Null,
            stderr
        );
        Assert.Equal(Verbs.InvalidInput, refused);
        Assert.Contains("expected LANG=DIR with a two-letter LANG", stderr.ToString(), StringComparison.Ordinal);
        var exit = await Verbs.RunAsync(
            [
                "evaluate",
                "--model",
                SpanishModel,
                "--data",
                data,
                "--device",
                "cpu",
                "--note-model-for",
                $"ca={CatalanModel}",
            ],
            stdout,
            stderr
        );

        Assert.Equal(Verbs.Success, exit);
        var json = JsonDocument.Parse(stdout.ToString()[stdout.ToString().IndexOf('{', StringComparison.Ordinal)..]);
        var byLanguage = json.RootElement.GetProperty("by_language");
        Assert.Equal("ca-model", byLanguage.GetProperty("ca").GetProperty("model").GetString());
        Assert.Equal("es-model", byLanguage.GetProperty("es").GetProperty("model").GetString());
        Assert.Equal(2, byLanguage.GetProperty("ca").GetProperty("metrics").GetProperty("n").GetInt32());
        Assert.Contains("(ca: ca-model; default: es-model)", json.RootElement.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Given_a_catalan_model_When_catalan_notes_are_screened_Then_it_reads_them_and_not_the_default()
    {
        var catalanOnly = await NotesProbability(CatalanModel);
        var routed = await NotesProbability(SpanishModel, $"ca={CatalanModel}");
        var spanishOnly = await NotesProbability(SpanishModel);

        Assert.Equal(catalanOnly, routed);
        Assert.NotEqual(spanishOnly, routed);
    }

    /// <summary>The notes component of the Catalan fixture patient's rationale.</summary>
    private async Task<string> NotesProbability(string noteModel, params string[] noteModelFor)
    {
        var database = Path.Combine(_work, $"screen-{Guid.NewGuid():N}.db");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ScreenVerb.RunAsync(
            [FixtureFiles.PathOf("bundles", "sospita-ic-catala.json")],
            new DateOnly(2026, 6, 30),
            database,
            stdout,
            stderr,
            CancellationToken.None,
            CommonOptions.ToModelArgs(FixtureFiles.PathOf("models", "hf-tabular"), noteModel, noteModelFor)
        );

        Assert.Equal(Verbs.Success, exit);
        var risk = FhirJson
            .Deserialize<Bundle>(stdout.ToString())
            .Entry.Select(e => e.Resource)
            .OfType<RiskAssessment>()
            .Single(r => r.Subject.Reference == "Patient/fx-sospita-ca");
        var rationale = risk.Prediction[0].Rationale ?? "";
        var match = NotesComponent().Match(rationale);
        Assert.True(match.Success, rationale);
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"notes=(0\.\d+)")]
    private static partial Regex NotesComponent();
}
