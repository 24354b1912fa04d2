using System.Globalization;
using Clinical.Api.Features.Dashboard.Review;
using ScottPlot;

namespace Clinical.Api.Features.Dashboard.Plotting;

/// <summary>Localised words a plot needs (the page supplies them from its resources).</summary>
public sealed record PlotLabels(string Title, string PeptideAxis, string WeightAxis, string Threshold, string Date);

/// <summary>
/// The dashboard's plots, rendered on the server by ScottPlot as SVG (text stays text, so it is sharp and readable by
/// the browser's fonts). Skia's Linux build without fontconfig finds no system font by name, so a TrueType font from
/// /usr/share/fonts (fonts-dejavu-core or fonts-liberation, both in Debian 12) is registered once for text measurement.
/// </summary>
public static class DashboardPlots
{
    /// <summary>ESC 2021, non-acute setting: NT-proBNP below 125 pg/mL makes heart failure unlikely.</summary>
    public const double NtProBnpThreshold = 125;

    private static readonly Lazy<string?> FontName = new(RegisterFont);

    private static readonly (string File, string Family)[] FontFiles =
    [
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVu Sans"),
        ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "Liberation Sans"),
        ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf", "Liberation Sans"),
    ];

    /// <summary>NT-proBNP / BNP (left axis, with the 125 pg/mL line) and weight (right axis) over time.</summary>
    public static string Trend(IReadOnlyList<ReviewMeasurement> series, PlotLabels labels, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(labels);
        var plot = NewPlot();
        var dated = series.Where(m => m.When is not null).OrderBy(m => m.When).ToList();
        AddSeries(plot, dated, ReviewMeasurement.NtProBnp, "NT-proBNP (pg/mL)", Colors.DarkRed, right: false);
        AddSeries(plot, dated, ReviewMeasurement.Bnp, "BNP (pg/mL)", Colors.DarkOrange, right: false);
        AddSeries(plot, dated, ReviewMeasurement.Weight, labels.WeightAxis, Colors.SteelBlue, right: true);
        var threshold = plot.Add.HorizontalLine(NtProBnpThreshold, 2, Colors.Black, LinePattern.Dashed);
        threshold.LegendText = labels.Threshold;
        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.DateTimeAutomatic
        {
            LabelFormatter = date => date.ToString("d MMM yyyy", culture),
        };
        plot.Axes.Left.Label.Text = labels.PeptideAxis;
        plot.Axes.Right.Label.Text = labels.WeightAxis;
        plot.Axes.Bottom.Label.Text = labels.Date;
        plot.Title(labels.Title);
        plot.ShowLegend(Alignment.UpperLeft);
        var peptides = dated.Where(m => m.Kind != ReviewMeasurement.Weight).Select(m => m.Value).ToList();
        plot.Axes.SetLimitsY(0, Math.Max(NtProBnpThreshold * 1.5, peptides.Count == 0 ? 0 : peptides.Max() * 1.15));
        if (dated.Count > 0)
        {
            var first = dated[0].When!.Value.UtcDateTime.AddDays(-30).ToOADate();
            var last = dated[^1].When!.Value.UtcDateTime.AddDays(30).ToOADate();
            plot.Axes.SetLimitsX(first, last);
        }
        return plot.GetSvgXml(860, 380);
    }

    /// <summary>Grouped bars per week (raised, confirmed, dismissed), or one bar per category.</summary>
    public static string Bars(
        string title,
        IReadOnlyList<string> categories,
        IReadOnlyList<(string Name, IReadOnlyList<int> Values)> series,
        string valueAxis
    )
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        var plot = NewPlot();
        Color[] palette = [Colors.SteelBlue, Colors.SeaGreen, Colors.DarkRed, Colors.DarkOrange, Colors.Purple];
        var width = 0.8 / Math.Max(1, series.Count);
        for (var s = 0; s < series.Count; s++)
        {
            var positions = Enumerable.Range(0, categories.Count).Select(i => i - 0.4 + width * (s + 0.5)).ToArray();
            var bars = plot.Add.Bars(positions, series[s].Values.Select(v => (double)v).ToArray());
            bars.LegendText = series[s].Name;
            bars.Color = palette[s % palette.Length];
            foreach (var bar in bars.Bars)
                bar.Size = width * 0.95;
        }
        plot.Axes.Bottom.SetTicks(
            Enumerable.Range(0, categories.Count).Select(i => (double)i).ToArray(),
            [.. categories]
        );
        plot.Axes.Left.Label.Text = valueAxis;
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        if (series.Count > 1)
            plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetSvgXml(860, 360);
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        if (FontName.Value is { } font)
            plot.Font.Set(font);
        return plot;
    }

    private static void AddSeries(
        Plot plot,
        List<ReviewMeasurement> dated,
        string kind,
        string legend,
        Color color,
        bool right
    )
    {
        var points = dated.Where(m => m.Kind == kind).ToList();
        if (points.Count == 0)
            return;
        var scatter = plot.Add.Scatter(
            points.Select(m => m.When!.Value.UtcDateTime.ToOADate()).ToArray(),
            points.Select(m => m.Value).ToArray(),
            color
        );
        scatter.LegendText = legend;
        scatter.MarkerSize = 8;
        scatter.LineWidth = 2;
        if (right)
            scatter.Axes.YAxis = plot.Axes.Right;
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
