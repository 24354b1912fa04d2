using ScottPlot;

namespace Clinical.Models.Evaluation;

/// <summary>
/// The font every ScottPlot plot of the product draws with. Skia's Linux build without fontconfig finds no system font
/// by name, so a TrueType font from /usr/share/fonts (fonts-dejavu-core or fonts-liberation, both in Debian 12) is
/// registered once for text measurement; without one ScottPlot's default is used.
/// </summary>
public static class PlotFonts
{
    private static readonly (string File, string Family)[] FontFiles =
    [
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVu Sans"),
        ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "Liberation Sans"),
        ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf", "Liberation Sans"),
    ];

    private static readonly Lazy<string?> Family = new(Register);

    /// <summary>A new plot that draws its text in the registered font, when there is one.</summary>
    public static Plot NewPlot()
    {
        var plot = new Plot();
        if (Family.Value is { } family)
            plot.Font.Set(family);
        return plot;
    }

    private static string? Register()
    {
        var (file, family) = FontFiles.FirstOrDefault(f => File.Exists(f.File));
        if (file is null)
            return null;
        Fonts.AddFontFile(family, file);
        return family;
    }
}
