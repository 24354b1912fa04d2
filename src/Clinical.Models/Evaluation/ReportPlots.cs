using ScottPlot;

namespace Clinical.Models.Evaluation;

/// <summary>
/// The evaluation report's ROC, precision–recall and reliability plots, drawn by ScottPlot 5 as SVG for inline
/// embedding (text stays text), in the font of <see cref="PlotFonts"/>.
/// </summary>
public static class ReportPlots
{
    public const int Size = 400;

    /// <summary>Room around the unit square, so that curves along an edge and markers at 0 or 1 stay visible.</summary>
    private const double Pad = 0.03;

    /// <summary>A curve on the unit square, optionally with the chance diagonal.</summary>
    public static string Curve(
        string title,
        string xLabel,
        string yLabel,
        IReadOnlyList<(double X, double Y)> points,
        bool diagonal
    )
    {
        var plot = UnitSquare(title, xLabel, yLabel);
        if (diagonal)
            Diagonal(plot);
        var curve = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
        curve.Color = Colors.SteelBlue;
        curve.LineWidth = 2;
        return Svg(plot);
    }

    /// <summary>Reliability diagram: each non-empty bin at (mean probability, observed rate), sized by count.</summary>
    public static string Reliability(string title, IReadOnlyList<CalibrationBin> bins)
    {
        var plot = UnitSquare(title, "mean predicted probability", "observed rate");
        Diagonal(plot);
        foreach (var bin in bins.Where(b => b.Count > 0))
        {
            var size = (float)Math.Clamp(4 + 2 * Math.Sqrt(bin.Count), 6, 24);
            plot.Add.Marker(
                bin.MeanProbability,
                bin.ObservedRate,
                MarkerShape.FilledCircle,
                size,
                Colors.DarkOrange.WithAlpha(0.7)
            );
        }
        return Svg(plot);
    }

    private static Plot UnitSquare(string title, string xLabel, string yLabel)
    {
        var plot = PlotFonts.NewPlot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Axes.SetLimits(-Pad, 1 + Pad, -Pad, 1 + Pad);
        return plot;
    }

    private static void Diagonal(Plot plot)
    {
        // Solid and light: Skia's SVG backend reports dash path effects as unsupported on stderr.
        var line = plot.Add.Line(0, 0, 1, 1);
        line.Color = Colors.LightGray;
        line.LineWidth = 1;
    }

    /// <summary>The SVG element alone, without an XML declaration, for embedding in HTML.</summary>
    private static string Svg(Plot plot)
    {
        var xml = plot.GetSvgXml(Size, Size);
        var start = xml.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? xml[start..] : xml;
    }
}
