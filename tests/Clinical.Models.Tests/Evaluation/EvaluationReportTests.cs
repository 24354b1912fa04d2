using Clinical.Models.Evaluation;
using Clinical.Models.Training;

namespace Clinical.Models.Tests.Evaluation;

public sealed class EvaluationReportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("evaluation-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Given_scored_notes_When_the_report_is_written_Then_it_holds_the_three_plots_and_the_subgroup_table()
    {
        var cases = Enumerable
            .Range(0, 120)
            .Select(i => new ScoredNote(
                new LabelledNote($"n{i}", $"nota {i}", i % 3 == 0 ? 1 : 0) { Language = i % 2 == 0 ? "es" : "ca" },
                i % 3 == 0 ? 0.55 + i % 7 * 0.05 : 0.05 + i % 9 * 0.05
            ))
            .ToList();
        var labels = cases.Select(c => c.Note.Label).ToList();
        var scores = cases.Select(c => c.Probability).ToList();
        var metrics = EvaluationMetrics.Compute(labels, scores, 0.5);
        var subgroups = SubgroupTable.Compute(
            labels,
            scores,
            0.5,
            cases.Select(c => Subgroup.OfLanguages([c.Note.Language]).ToList()).ToList<IReadOnlyList<Subgroup>>()
        );
        var atPrevalence = PrevalenceEstimate.Compute(
            labels,
            scores,
            0.5,
            0.02,
            new CalibratedPrevalence(1.0 / 3, "t")
        );

        var html = File.ReadAllText(
            EvaluationReport.Write(_folder, "model m", metrics, cases, subgroups, [atPrevalence])
        );

        // ScottPlot's SVG, inline, with its axis labels as text.
        Assert.Equal(3, html.Split("<svg").Length - 1);
        Assert.Contains("false-positive rate", html, StringComparison.Ordinal);
        Assert.Contains("mean predicted probability", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<?xml", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Subgroups</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<td>note language ca</td><td>60</td><td>20</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>note language es</td><td>60</td><td>20</td>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>At deployment prevalence</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<td>0.02</td>", html, StringComparison.Ordinal);
    }
}
