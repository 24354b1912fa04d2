using Clinical.Models.Decoders.Llama;
using Clinical.Models.Runtime;
using Clinical.Models.Summaries;
using Clinical.Models.Tests.Decoders.Llama;

namespace Clinical.Models.Tests.Summaries;

public sealed class AbstractiveSummarizerTests(TinySalamandraFolder folder) : IClassFixture<TinySalamandraFolder>
{
    private static readonly SummaryOptions Short = new()
    {
        MaxNewTokens = 24,
        TimeBudget = TimeSpan.FromSeconds(30),
        Grounding = GroundingMode.Mark,
    };

    [Fact]
    public void Given_the_tiny_random_model_When_summarized_twice_from_fresh_loads_Then_the_text_is_same_and_grounded()
    {
        PatientSummary Run()
        {
            using var summarizer = AbstractiveSummarizer.Load(folder.Path, ComputeTarget.Cpu, SummaryInputs.Drugs);
            return summarizer.Summarize(SummaryInputs.PossibleHeartFailure(), Short);
        }

        var first = Run();
        var second = Run();

        Assert.Equal(SummaryKind.Abstractive, first.Kind);
        Assert.Equal(first.Text, second.Text);
        Assert.StartsWith("Resumen generado por IA (tiny-salamandra-", first.Text, StringComparison.Ordinal);
        Assert.Equal("hf-summary.v1.es", first.PromptVersion);
        Assert.Equal(12, first.ModelVersion.Length);
    }

    [Fact]
    public void Given_the_tiny_model_When_the_prompt_is_built_Then_it_is_ChatML_with_bos_ending_in_the_assistant_turn()
    {
        using var summarizer = AbstractiveSummarizer.Load(folder.Path, ComputeTarget.Cpu, SummaryInputs.Drugs);

        var ids = summarizer.PromptIds(SummaryInputs.PossibleHeartFailure(), Short);

        Assert.Equal([1L, 4L], ids.Take(2));
        Assert.Equal(3, ids.Count(id => id == 4));
        Assert.Equal(2, ids.Count(id => id == 5));
        Assert.True(ids.Length < folder.Config.MaxPositionEmbeddings - Short.MaxNewTokens);
    }

    [Fact]
    public void Given_a_time_budget_too_small_to_finish_When_summarized_Then_the_extractive_one_returns_with_a_warning()
    {
        using var summarizer = AbstractiveSummarizer.Load(folder.Path, ComputeTarget.Cpu, SummaryInputs.Drugs);

        var summary = summarizer.Summarize(
            SummaryInputs.PossibleHeartFailure(),
            Short with
            {
                TimeBudget = TimeSpan.Zero,
                MaxNewTokens = 64,
            }
        );

        Assert.Equal(SummaryKind.Extractive, summary.Kind);
        Assert.StartsWith("Resumen extractivo", summary.Text, StringComparison.Ordinal);
        Assert.Contains("did not finish", Assert.Single(summary.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_too_many_new_tokens_for_the_context_When_summarized_Then_it_falls_back_with_a_warning()
    {
        using var summarizer = AbstractiveSummarizer.Load(folder.Path, ComputeTarget.Cpu, SummaryInputs.Drugs);

        var summary = summarizer.Summarize(
            SummaryInputs.PossibleHeartFailure(),
            Short with
            {
                MaxNewTokens = folder.Config.MaxPositionEmbeddings,
            }
        );

        Assert.Equal(SummaryKind.Extractive, summary.Kind);
        Assert.Contains("abstractive summary failed", Assert.Single(summary.Warnings), StringComparison.Ordinal);
    }
}
