namespace Clinical.Models.Tests.Encoders;

/// <summary>Finds files under the repository's fixtures/ folder.</summary>
internal static class FixtureFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, "fixtures", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Clinical.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No Clinical.sln above {AppContext.BaseDirectory}.");
    }
}
