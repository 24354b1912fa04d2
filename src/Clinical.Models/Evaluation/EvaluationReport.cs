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
/// plots as inline SVG, the confusion matrix at the stored threshold, and the worst false negatives
/// and false positives with their text. No scripts, no external resources.
/// </summary>
public static class EvaluationReport
{
    private const int Size = 320;
    private const int Margin = 40;

    public static string Write(
        string directory,
        string subject,
        EvaluationMetrics metrics,
        IReadOnlyList<ScoredNote> cases,
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
        html.Append("<h2>Curves</h2>")
            .Append(
                Plot(
                    "ROC (AUROC " + F(metrics.Auroc) + ")",
                    "false-positive rate",
                    "sensitivity",
                    BinaryMetrics.RocCurve(labels, scores),
                    diagonal: true
                )
            )
            .Append(
                Plot(
                    "Precision–recall (AUPRC " + F(metrics.Auprc) + ")",
                    "recall",
                    "precision",
                    BinaryMetrics.PrecisionRecallCurve(labels, scores),
                    diagonal: false
                )
            )
            .Append(Reliability(BinaryMetrics.CalibrationBins(labels, scores), metrics.Ece));
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

    private static string Plot(
        string title,
        string xLabel,
        string yLabel,
        IReadOnlyList<(double X, double Y)> points,
        bool diagonal
    )
    {
        var svg = Frame(title, xLabel, yLabel);
        if (diagonal)
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<line x1=\"{X(0)}\" y1=\"{Y(0)}\" x2=\"{X(1)}\" y2=\"{Y(1)}\" "
                    + $"stroke=\"#bbb\" stroke-dasharray=\"4\"/>"
            );
        svg.Append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"")
            .AppendJoin(
                ' ',
                points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.X):F1},{Y(p.Y):F1}"))
            )
            .Append("\"/></svg>");
        return svg.ToString();
    }

    private static string Reliability(IReadOnlyList<CalibrationBin> bins, double ece)
    {
        var svg = Frame("Calibration (ECE " + F(ece) + ")", "mean predicted probability", "observed rate");
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<line x1=\"{X(0)}\" y1=\"{Y(0)}\" x2=\"{X(1)}\" y2=\"{Y(1)}\" "
                + $"stroke=\"#bbb\" stroke-dasharray=\"4\"/>"
        );
        foreach (var bin in bins.Where(b => b.Count > 0))
        {
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<circle cx=\"{X(bin.MeanProbability):F1}\" cy=\"{Y(bin.ObservedRate):F1}\" "
                    + $"r=\"{Math.Clamp(2 + Math.Sqrt(bin.Count), 3, 12):F1}\" fill=\"#ff7f0e\" fill-opacity=\"0.7\">"
                    + $"<title>{bin.Lower:F1}–{bin.Upper:F1}: n={bin.Count}, mean p={bin.MeanProbability:F3}, "
                    + $"observed={bin.ObservedRate:F3}</title></circle>"
            );
        }
        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Frame(string title, string xLabel, string yLabel)
    {
        var width = Size + 2 * Margin;
        var svg = new StringBuilder();
        svg.Append(
                CultureInfo.InvariantCulture,
                $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{width}\" "
                    + $"viewBox=\"0 0 {width} {width}\" role=\"img\" aria-label=\"{Encode(title)}\">"
            )
            .Append(
                CultureInfo.InvariantCulture,
                $"<text x=\"{width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"13\">{Encode(title)}</text>"
            )
            .Append(
                CultureInfo.InvariantCulture,
                $"<rect x=\"{Margin}\" y=\"{Margin}\" width=\"{Size}\" height=\"{Size}\" "
                    + $"fill=\"none\" stroke=\"#333\"/>"
            )
            .Append(
                CultureInfo.InvariantCulture,
                $"<text x=\"{width / 2}\" y=\"{width - 8}\" text-anchor=\"middle\" font-size=\"11\">"
                    + $"{Encode(xLabel)}</text>"
            )
            .Append(
                CultureInfo.InvariantCulture,
                $"<text x=\"12\" y=\"{width / 2}\" text-anchor=\"middle\" font-size=\"11\" "
                    + $"transform=\"rotate(-90 12 {width / 2})\">{Encode(yLabel)}</text>"
            );
        foreach (var tick in new[] { 0.0, 0.5, 1.0 })
        {
            svg.Append(
                    CultureInfo.InvariantCulture,
                    $"<text x=\"{X(tick):F0}\" y=\"{Margin + Size + 14}\" text-anchor=\"middle\" "
                        + $"font-size=\"10\">{tick:F1}</text>"
                )
                .Append(
                    CultureInfo.InvariantCulture,
                    $"<text x=\"{Margin - 4}\" y=\"{Y(tick) + 3:F0}\" text-anchor=\"end\" "
                        + $"font-size=\"10\">{tick:F1}</text>"
                );
        }
        return svg;
    }

    private static double X(double value) => Margin + value * Size;

    private static double Y(double value) => Margin + (1 - value) * Size;

    private static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
