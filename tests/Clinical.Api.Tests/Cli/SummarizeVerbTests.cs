using System.Text.Json;
using Clinical.Api.Cli;
using Clinical.DevTools.Checkpoints;
using Clinical.Models.Decoders.Llama;
using Clinical.Tests;

namespace Clinical.Api.Tests.Cli;

public sealed class SummarizeVerbTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("summarize-verb-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string TinyModel()
    {
        var folder = Path.Combine(_work, "tiny-salamandra");
        TinySalamandra.Write(folder, seed: 20251123);
        return folder;
    }

    private async Task<(int Exit, string Stdout, string Stderr)> Summarize(
        string path,
        bool json = false,
        string? model = null,
        double timeBudget = 60
    )
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await SummarizeVerb.RunAsync(
            new SummarizeArguments(
                path,
                new DateOnly(2026, 6, 30),
                json,
                model,
                MaxNewTokens: 24,
                TimeBudgetSeconds: timeBudget,
                Database: Path.Combine(_work, "clinical.db")
            ),
            stdout,
            stderr,
            CancellationToken.None
        );
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static JsonElement Single(string stdout) =>
        Assert.Single(JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList());

    [Fact]
    public async Task Given_possible_HF_and_no_weights_When_summarized_Then_extractive_summary_prints_with_grounding()
    {
        var (exit, stdout, stderr) = await Summarize(
            FixtureFiles.PathOf("bundles", FixtureFiles.PossibleUndiagnosedHeartFailure)
        );

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        Assert.StartsWith(
            "== Patient/fx-posible-ic (extractive, es, clinical-extractive-summary 1, prompt hf-summary.v1.es) ==\n"
                + "Resumen extractivo",
            stdout,
            StringComparison.Ordinal
        );
        Assert.Contains("- 05/03/2026: Refiere disnea de esfuerzo progresiva", stdout, StringComparison.Ordinal);
        Assert.Contains("- NT-proBNP 870 pg/mL (12/03/2026)", stdout, StringComparison.Ordinal);
        Assert.Contains("No consta ecocardiograma (FEVI)", stdout, StringComparison.Ordinal);
        Assert.Matches(@"Grounding: \d+ claims checked, 0 failed, 0 sentences removed\.", stdout);
    }

    [Fact]
    public async Task Given_the_tiny_random_model_When_summarized_twice_Then_the_same_abstractive_text_and_grounding()
    {
        var model = TinyModel();
        var path = FixtureFiles.PathOf("bundles", FixtureFiles.PossibleUndiagnosedHeartFailure);

        var first = await Summarize(path, json: true, model: model);
        var second = await Summarize(path, json: true, model: model);

        Assert.Equal(0, first.Exit);
        var summary = Single(first.Stdout);
        Assert.Equal("abstractive", summary.GetProperty("kind").GetString());
        Assert.Equal("tiny-salamandra", summary.GetProperty("model").GetString());
        Assert.Equal("hf-summary.v1.es", summary.GetProperty("promptVersion").GetString());
        Assert.StartsWith(
            "Resumen generado por IA (tiny-salamandra ",
            summary.GetProperty("text").GetString(),
            StringComparison.Ordinal
        );
        Assert.True(summary.GetProperty("claimsChecked").GetInt32() >= summary.GetProperty("claimsFailed").GetInt32());
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Fact]
    public async Task Given_a_time_budget_the_model_cannot_meet_When_summarized_Then_extractive_comes_with_a_warning()
    {
        var (exit, stdout, _) = await Summarize(
            FixtureFiles.PathOf("bundles", FixtureFiles.PossibleUndiagnosedHeartFailure),
            json: true,
            model: TinyModel(),
            timeBudget: 0.001
        );

        Assert.Equal(0, exit);
        var summary = Single(stdout);
        Assert.Equal("extractive", summary.GetProperty("kind").GetString());
        Assert.Contains(
            "did not finish",
            Assert.Single(summary.GetProperty("warnings").EnumerateArray().ToList()).GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Given_Catalan_notes_When_summarized_Then_the_summary_is_in_Catalan_and_names_the_missing_peptide()
    {
        var (exit, stdout, _) = await Summarize(
            FixtureFiles.PathOf("bundles", FixtureFiles.CatalanSuspicion),
            json: true
        );

        Assert.Equal(0, exit);
        var summary = Single(stdout);
        Assert.Equal("ca", summary.GetProperty("language").GetString());
        Assert.Equal("hf-summary.v1.ca", summary.GetProperty("promptVersion").GetString());
        var text = summary.GetProperty("text").GetString()!;
        Assert.StartsWith("Resum extractiu", text, StringComparison.Ordinal);
        Assert.Contains("- 02/04/2026: AR: crepitants bibasals.", text, StringComparison.Ordinal);
        Assert.Contains("No consta NT-proBNP ni BNP", text, StringComparison.Ordinal);
        Assert.Equal(0, summary.GetProperty("claimsFailed").GetInt32());
    }

    [Fact]
    public async Task Given_a_model_folder_without_config_When_summarized_Then_exit_2_with_one_error_line()
    {
        var (exit, stdout, stderr) = await Summarize(
            FixtureFiles.PathOf("bundles", FixtureFiles.PossibleUndiagnosedHeartFailure),
            model: _work
        );

        Assert.Equal(2, exit);
        Assert.Contains("has no config.json", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout.Trim());
    }
}
