using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Clinical.Models.Training;

namespace Clinical.Models.Evaluation;

/// <summary>A labelled note and the probability the model (or baseline) gave it.</summary>
public sealed record ScoredNote(LabelledNote Note, double Probability);

/// <summary>
/// A self-contained HTML report: the metrics, ROC, precision–recall and calibration (reliability)
/// plots as inline SVG (ScottPlot, <see cref="ReportPlots"/>), the confusion matrix at the stored threshold, the
/// subgroup table, the figures at deployment prevalences when asked for, and the worst false negatives and false
/// positives with their text. No scripts, no external resources.
/// </summary>
public static class EvaluationReport
{
    public static string Write(
        string directory,
        string subject,
        EvaluationMetrics metrics,
        IReadOnlyList<ScoredNote> cases,
        SubgroupTable? subgroups = null,
        IReadOnlyList<PrevalenceEstimate>? prevalences = null,
        int worst = 10
    )
    {
        Directory.CreateDirectory(directory);
        var labels = cases.Select(c => c.Note.Label).ToList();
        var scores = cases.Select(c => c.Probability).ToList();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Evaluation: ")
            .Append(Encode(subject))
            .Append("</title>")
            .Append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}")
            .Append("svg{border:1px solid #ccc;margin:0 1em 1em 0}table{border-collapse:collapse}")
            .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
            .Append("pre{white-space:pre-wrap;max-height:12em;overflow:auto}</style></head><body>")
            .Append("<h1>Evaluation of ")
            .Append(Encode(subject))
            .Append("</h1>")
            .Append("<p>Decision-support model evaluation; not a clinical validation.</p>")
            .Append("<h2>Metrics</h2><pre>")
            .Append(Encode(JsonSerializer.Serialize(metrics, ModelCard.Json)))
            .Append("</pre>");
        var bins = BinaryMetrics.CalibrationBins(labels, scores);
        html.Append("<h2>Curves</h2>")
            .Append(
                ReportPlots.Curve(
                    "ROC (AUROC " + F(metrics.Auroc) + ")",
                    "false-positive rate",
                    "sensitivity",
                    BinaryMetrics.RocCurve(labels, scores),
                    diagonal: true
                )
            )
            .Append(
                ReportPlots.Curve(
                    "Precision–recall (AUPRC " + F(metrics.Auprc) + ")",
                    "recall",
                    "precision",
                    BinaryMetrics.PrecisionRecallCurve(labels, scores),
                    diagonal: false
                )
            )
            .Append(ReportPlots.Reliability("Calibration (ECE " + F(metrics.Ece) + ")", bins))
            .Append(
                Table(
                    ["probability bin", "n", "mean probability", "observed rate"],
                    bins.Where(b => b.Count > 0)
                        .Select(b =>
                            new[]
                            {
                                $"{F(b.Lower)}–{F(b.Upper)}",
                                b.Count.ToString(CultureInfo.InvariantCulture),
                                F(b.MeanProbability),
                                F(b.ObservedRate),
                            }
                        )
                )
            );
        var c = metrics.Confusion;
        html.Append("<h2>Confusion matrix at threshold ")
            .Append(F(metrics.Threshold))
            .Append("</h2><table><tr><th></th><th>called positive</th><th>called negative</th></tr>")
            .Append(
                CultureInfo.InvariantCulture,
                $"<tr><th>heart failure</th><td>{c.TruePositives} TP</td><td>{c.FalseNegatives} FN</td></tr>"
            )
            .Append(
                CultureInfo.InvariantCulture,
                $"<tr><th>no heart failure</th><td>{c.FalsePositives} FP</td><td>{c.TrueNegatives} TN</td></tr></table>"
            );
        if (subgroups is not null)
            html.Append("<h2>Subgroups</h2><p>")
                .Append(Encode(subgroups.Method))
                .Append("</p>")
                .Append(Table(SubgroupTable.Header, subgroups.Cells()));
        if (prevalences is { Count: > 0 })
            html.Append("<h2>At deployment prevalence</h2><p>")
                .Append(
                    Encode(
                        $"Evaluated set: {F(prevalences[0].EvaluatedPrevalence)} positive; calibration prevalence "
                            + $"from {prevalences[0].CalibratedAtSource}. {PrevalenceEstimate.Method}"
                    )
                )
                .Append("</p>")
                .Append(Table(PrevalenceEstimate.Header, prevalences.Select(p => p.Cells())));
        html.Append(
            Cases(
                "Worst false negatives (positives with the lowest probability)",
                cases
                    .Where(x => x.Note.Label == 1 && x.Probability < metrics.Threshold)
                    .OrderBy(x => x.Probability)
                    .Take(worst)
            )
        );
        html.Append(
            Cases(
                "Worst false positives (negatives with the highest probability)",
                cases
                    .Where(x => x.Note.Label == 0 && x.Probability >= metrics.Threshold)
                    .OrderByDescending(x => x.Probability)
                    .Take(worst)
            )
        );
        html.Append("</body></html>");
        var path = Path.Combine(directory, "report.html");
        File.WriteAllText(path, html.ToString());
        return path;
    }

    private static string Cases(string title, IEnumerable<ScoredNote> cases)
    {
        var html = new StringBuilder("<h2>")
            .Append(Encode(title))
            .Append("</h2><table><tr><th>id</th><th>probability</th><th>text</th></tr>");
        var any = false;
        foreach (var x in cases)
        {
            any = true;
            html.Append("<tr><td>")
                .Append(Encode(x.Note.Id))
                .Append("</td><td>")
                .Append(F(x.Probability))
                .Append("</td><td><pre>")
                .Append(Encode(x.Note.Text))
                .Append("</pre></td></tr>");
        }
        if (!any)
            html.Append("<tr><td colspan=\"3\">none</td></tr>");
        return html.Append("</table>").ToString();
    }

    private static string Table(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var html = new StringBuilder("<table><tr>");
        foreach (var cell in header)
            html.Append("<th>").Append(Encode(cell)).Append("</th>");
        html.Append("</tr>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
                html.Append("<td>").Append(Encode(cell)).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</table>").ToString();
    }

    private static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
