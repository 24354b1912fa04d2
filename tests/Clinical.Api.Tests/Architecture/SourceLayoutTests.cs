using System.Text.Json;
using Clinical.Tests;

namespace Clinical.Api.Tests.Architecture;

/// <summary>
/// Every line of C# and of the Razor pages fits the formatter's width (printWidth in .csharpierrc.json). CSharpier
/// lays out C# but does not break long strings or comments, and does not format Razor (.cshtml) at all, so those
/// are split by hand; this test finds the ones that were not. Widths are counted in characters (Unicode code
/// points), as an editor shows them, not in UTF-8 bytes.
/// </summary>
public sealed class SourceLayoutTests
{
    private static readonly string[] Trees = ["src", "tests"];

    private static readonly string[] Extensions = [".cs", ".cshtml"];

    [Fact]
    public void Given_the_source_and_test_trees_When_every_line_is_measured_Then_none_is_wider_than_printWidth()
    {
        var width = PrintWidth();
        var root = FixtureFiles.RepositoryRoot;
        var files = Trees
            .SelectMany(folder =>
                Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories)
            )
            .Where(file => Extensions.Contains(Path.GetExtension(file), StringComparer.Ordinal))
            .Where(file => !IsBuildOutput(Path.GetRelativePath(root, file)))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(files);

        var wide = files
            .SelectMany(file =>
                File.ReadLines(file)
                    .Select((line, index) => (Line: index + 1, Width: line.EnumerateRunes().Count()))
                    .Where(l => l.Width > width)
                    .Select(l => $"{Path.GetRelativePath(root, file).Replace('\\', '/')}:{l.Line} ({l.Width})")
            )
            .ToList();

        Assert.True(
            wide.Count == 0,
            $"{wide.Count} line(s) wider than {width} characters:{Environment.NewLine}"
                + string.Join(Environment.NewLine, wide)
        );
    }

    private static int PrintWidth()
    {
        using var config = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(FixtureFiles.RepositoryRoot, ".csharpierrc.json"))
        );
        return config.RootElement.GetProperty("printWidth").GetInt32();
    }

    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split('/', '\\').Any(segment => segment is "bin" or "obj");
}
