using System.Text.Json;
using Clinical.Api.Cli;
using Clinical.Api.Features.Training;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Evaluation;
using Clinical.Models.Training;
using Clinical.Tests;

namespace Clinical.Api.Tests.Features.Training;

public sealed class EvaluateBySubgroupTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("evaluate-subgroups-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary>
    /// 30 positives and 30 negatives in Spanish, where every positive names heart failure, and as many in Basque,
    /// where the positives describe it in words the keyword rule does not know: its sensitivity is 1 in Spanish and 0
    /// in Basque.
    /// </summary>
    private string BiasedNotes()
    {
        var path = Path.Combine(_work, "notes.jsonl");
        var notes = Enumerable
            .Range(0, 120)
            .Select(i =>
            {
                var basque = i >= 60;
                var positive = i % 2 == 0;
                var text = positive
                    ? basque
                        ? $"Arnasestua eta hanketako edema, {i}."
                        : $"Insuficiencia cardiaca descompensada, {i}."
                    : $"Control de tensión, {i}.";
                return new
                {
                    id = $"n{i}",
                    text,
                    label = positive ? 1 : 0,
                    lang = basque ? "eu" : "es",
                };
            })
            .Select(n => JsonSerializer.Serialize(n));
        File.WriteAllLines(path, notes);
        return path;
    }

    [Fact]
    public async Task Given_notes_with_a_language_When_evaluated_Then_results_by_language_and_a_warning_on_stderr()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await Verbs.RunAsync(
            [
                "evaluate",
                "--baseline",
                "keyword",
                "--data",
                BiasedNotes(),
                "--prevalence",
                "0.01",
                "0.02",
                "--calibrated-at",
                "0.5",
            ],
            output,
            error
        );

        Assert.Equal(Verbs.Success, exit);
        using var json = JsonDocument.Parse(output.ToString());
        var rows = json.RootElement.GetProperty("subgroups").GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["es", "eu"], rows.Select(r => r.GetProperty("group").GetString()));
        Assert.All(rows, r => Assert.Equal("note language", r.GetProperty("dimension").GetString()));
        var basque = rows[1];
        Assert.Equal(0, basque.GetProperty("sensitivity").GetDouble());
        Assert.True(basque.GetProperty("warning").GetBoolean());
        Assert.False(rows[0].GetProperty("warning").GetBoolean());
        var atPrevalence = json.RootElement.GetProperty("at_prevalence").EnumerateArray().ToList();
        Assert.Equal([0.01, 0.02], atPrevalence.Select(p => p.GetProperty("prevalence").GetDouble()));
        Assert.Equal("--calibrated-at", atPrevalence[0].GetProperty("calibrated_at_source").GetString());
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.StartsWith("warning: sensitivity", StringComparison.Ordinal));
        Assert.Contains("note language eu: 0.000", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_prevalence_without_a_known_calibration_prevalence_When_evaluating_Then_exit_2()
    {
        var notes = BiasedNotes();
        using var error = new StringWriter();

        Assert.Equal(
            Verbs.InvalidInput,
            await Verbs.RunAsync(
                ["evaluate", "--baseline", "keyword", "--data", notes, "--prevalence", "0.02"],
                TextWriter.Null,
                error
            )
        );
        Assert.Contains("--calibrated-at", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(
            Verbs.InvalidInput,
            await Verbs.RunAsync(
                ["evaluate", "--baseline", "keyword", "--data", notes, "--calibrated-at", "0.2"],
                TextWriter.Null,
                TextWriter.Null
            )
        );
        Assert.Equal(
            Verbs.InvalidInput,
            await Verbs.RunAsync(
                ["evaluate", "--baseline", "keyword", "--data", notes, "--prevalence", "2"],
                TextWriter.Null,
                TextWriter.Null
            )
        );
    }

    [Fact]
    public void Given_a_fhir_folder_When_loaded_for_evaluation_Then_each_patient_has_sex_age_band_and_languages()
    {
        var reader = new FhirInputReader();
        var inputs = new TrainingInputs(
            new WeakLabels(reader, new BulkExportReader(reader), new PatientRecordExtractor())
        );

        var (notes, subgroups) = inputs.LoadWithSubgroups(FixtureFiles.PathOf("cohort"), 30, CancellationToken.None);

        Assert.Equal(notes.Count, subgroups.Count);
        Assert.NotEmpty(notes);
        Assert.All(
            subgroups,
            groups =>
            {
                Assert.Single(groups, g => g.Dimension == Subgroup.Sex && g.Name is "female" or "male");
                Assert.Single(groups, g => g.Dimension == Subgroup.Age && Subgroup.AgeBands.Contains(g.Name));
                Assert.Contains(groups, g => g.Dimension == Subgroup.Language);
            }
        );
        Assert.Contains(subgroups, groups => groups.Contains(new Subgroup(Subgroup.Language, "ca")));
    }

    [Fact]
    public void Given_note_lines_with_language_or_lang_When_read_Then_the_language_is_kept()
    {
        Assert.Equal("ca", LabelledNotes.Parse("""{"id":"a","text":"t","label":1,"language":"ca"}""", "f", 1).Language);
        Assert.Equal("es", LabelledNotes.Parse("""{"id":"a","text":"t","label":1,"lang":"es"}""", "f", 1).Language);
        Assert.Null(LabelledNotes.Parse("""{"id":"a","text":"t","label":1,"lang":null}""", "f", 1).Language);
    }
}
