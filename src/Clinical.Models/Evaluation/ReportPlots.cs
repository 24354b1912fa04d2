using ScottPlot;

namespace Clinical.Models.Evaluation;

/// <summary>
/// The evaluation report's ROC, precision–recall and reliability plots, drawn by ScottPlot 5 as SVG for inline
/// embedding (text stays text). Skia's Linux build without fontconfig finds no system font by name, so a TrueType
/// font from /usr/share/fonts (fonts-dejavu-core or fonts-liberation, both in Debian 12) is registered once for text
/// measurement; without one ScottPlot's default is used.
/// </summary>
public static class ReportPlots
{
    public const int Size = 400;

    /// <summary>Room around the unit square, so that curves along an edge and markers at 0 or 1 stay visible.</summary>
    private const double Pad = 0.03;

    private static readonly Lazy<string?> FontName = new(RegisterFont);

    private static readonly (string File, string Family)[] FontFiles =
    [
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVu Sans"),
        ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "Liberation Sans"),
        ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf", "Liberation Sans"),
    ];

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
        var plot = new Plot();
        if (FontName.Value is { } font)
            plot.Font.Set(font);
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

    private static string? RegisterFont()
    {
        var (file, family) = FontFiles.FirstOrDefault(f => File.Exists(f.File));
        if (file is null)
            return null;
        Fonts.AddFontFile(family, file);
        return family;
    }
}
