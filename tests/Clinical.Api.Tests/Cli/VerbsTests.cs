using Clinical.Api.Cli;

namespace Clinical.Api.Tests.Cli;

public sealed class VerbsTests
{
    private static async Task<(int Exit, string Stdout, string[] Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Verbs.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Given_a_misspelt_verb_When_run_Then_exit_2_with_one_line_listing_the_verbs()
    {
        var (exit, stdout, stderr) = await Run("screen-cohrt", "fixtures/bundles");

        Assert.Equal(Verbs.InvalidInput, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr);
        Assert.StartsWith("error: 'screen-cohrt' is not a verb;", line, StringComparison.Ordinal);
        var verbs = Verbs.Root().Subcommands;
        Assert.Contains(verbs, v => v.Name == "screen");
        foreach (var verb in verbs)
            Assert.Contains(verb.Name, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("screen", "fixtures/bundles")]
    [InlineData("summarize", "fixtures/bundles")]
    [InlineData("generate-cohort", "--patients", "5", "--out", "cohort")]
    [InlineData("train-tabular", "--generate", "5", "--out", "model")]
    [InlineData("evaluate-cohort", "--data", "cohort", "--truth", "truth.ndjson")]
    public async Task Given_an_as_of_that_is_not_a_date_When_a_verb_runs_Then_exit_2_with_one_line_naming_it(
        params string[] args
    )
    {
        var (exit, stdout, stderr) = await Run([.. args, "--as-of", "30/06/2026"]);

        Assert.Equal(Verbs.InvalidInput, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr);
        Assert.StartsWith("error: --as-of '30/06/2026' is not a date (YYYY-MM-DD).", line, StringComparison.Ordinal);
        Assert.EndsWith($"(see clinical {args[0]} --help)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_required_option_missing_When_a_verb_runs_Then_exit_2_with_one_line_naming_it()
    {
        var (exit, _, stderr) = await Run("classify", "--model", "m", "--input", "notes.jsonl");

        Assert.Equal(Verbs.InvalidInput, exit);
        Assert.Contains("--output", Assert.Single(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_unknown_note_language_When_generating_a_cohort_Then_exit_2_naming_the_code()
    {
        var (exit, _, stderr) = await Run("generate-cohort", "--patients", "5", "--out", "x", "--languages", "es,fr");

        Assert.Equal(Verbs.InvalidInput, exit);
        Assert.Contains("unknown note language 'fr'", Assert.Single(stderr), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("--urls", "http://127.0.0.1:5999")]
    [InlineData("--environment=Development", "--contentRoot=/tmp")]
    [InlineData("Clinical:Database=clinical.db")]
    [InlineData("/urls", "http://127.0.0.1:5999")]
    public void Given_no_arguments_or_host_arguments_Then_the_process_is_the_web_host(params string[] args) =>
        Assert.False(Verbs.IsVerbInvocation(args));

    [Theory]
    [InlineData("screen")]
    [InlineData("screen-cohrt")]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Given_a_word_or_a_help_flag_first_Then_it_is_a_verb_invocation(string first) =>
        Assert.True(Verbs.IsVerbInvocation([first]));

    [Fact]
    public async Task Given_a_path_that_does_not_exist_When_summarized_Then_exit_2_with_one_line_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json");

        var (exit, _, stderr) = await Run("summarize", missing);

        Assert.Equal(Verbs.InvalidInput, exit);
        Assert.Contains($"No such file or folder: {missing}", Assert.Single(stderr), StringComparison.Ordinal);
    }
}
