using System.Xml.Linq;
using Clinical.Tests;

namespace Clinical.Api.Tests.Architecture;

/// <summary>
/// The dependency rule, read from the project files: Fhir and Models never reference each other; the generator and
/// the development tools sit beside the product, never under it; only the host composes them all.
/// </summary>
public sealed class DependencyRuleTests
{
    private static readonly Dictionary<string, string[]> AllowedReferences = new()
    {
        ["Clinical.Fhir"] = [],
        ["Clinical.Models"] = [],
        ["Clinical.Synthetic"] = ["Clinical.Fhir"],
        ["Clinical.DevTools"] = ["Clinical.Fhir", "Clinical.Models", "Clinical.Synthetic"],
        ["Clinical.Api"] = ["Clinical.Fhir", "Clinical.Models", "Clinical.Synthetic", "Clinical.DevTools"],
        // The GPU kit's runner (fixtures/scripts/gpu-kit): development tooling beside the product, like DevTools.
        ["Clinical.GpuKit"] = ["Clinical.Models", "Clinical.DevTools"],
    };

    /// <summary>Packages that would pull a product room into another's concern.</summary>
    private static readonly Dictionary<string, string[]> ForbiddenPackagePrefixes = new()
    {
        ["Clinical.Fhir"] =
        [
            "TorchSharp",
            "libtorch",
            "Microsoft.ML",
            "Microsoft.AspNetCore",
            "Microsoft.EntityFrameworkCore",
        ],
        ["Clinical.Models"] = ["Hl7.Fhir", "Firely", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore"],
        ["Clinical.Synthetic"] = ["TorchSharp", "libtorch", "Microsoft.ML", "Microsoft.AspNetCore"],
    };

    [Fact]
    public void Given_the_source_projects_When_their_references_are_read_Then_each_is_declared_and_allowed()
    {
        var projects = SourceProjects();
        Assert.Equal(AllowedReferences.Keys.Order(), projects.Keys.Order());
        foreach (var (project, file) in projects)
        {
            var unexpected = ProjectReferences(file).Except(AllowedReferences[project]).ToList();
            Assert.True(unexpected.Count == 0, $"{project} must not reference {string.Join(", ", unexpected)}");
        }
    }

    [Fact]
    public void Given_the_product_rooms_When_their_packages_are_read_Then_none_reaches_into_another_room()
    {
        var projects = SourceProjects();
        foreach (var (project, prefixes) in ForbiddenPackagePrefixes)
        {
            var packages = PackageReferences(projects[project]);
            var forbidden = packages.Where(p => prefixes.Any(f => p.StartsWith(f, StringComparison.Ordinal))).ToList();
            Assert.True(forbidden.Count == 0, $"{project} must not use {string.Join(", ", forbidden)}");
        }
    }

    [Fact]
    public void Given_the_test_projects_When_read_Then_each_mirrors_one_source_project_and_references_no_other_test()
    {
        var sources = SourceProjects();
        var tests = Directory.GetFiles(
            Path.Combine(FixtureFiles.RepositoryRoot, "tests"),
            "*.csproj",
            SearchOption.AllDirectories
        );
        Assert.Equal(sources.Count, tests.Length);
        foreach (var file in tests)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            Assert.EndsWith(".Tests", name, StringComparison.Ordinal);
            var mirrored = name[..^".Tests".Length];
            var references = ProjectReferences(file);
            Assert.Contains(mirrored, references);
            Assert.DoesNotContain(references, r => r.EndsWith(".Tests", StringComparison.Ordinal));
        }
    }

    private static Dictionary<string, string> SourceProjects() =>
        Directory
            .GetFiles(Path.Combine(FixtureFiles.RepositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => f);

    private static List<string> ProjectReferences(string file) =>
        XDocument
            .Load(file)
            .Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();

    private static List<string> PackageReferences(string file) =>
        XDocument.Load(file).Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value).ToList();
}
