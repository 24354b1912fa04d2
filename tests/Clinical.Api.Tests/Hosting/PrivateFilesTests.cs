using System.Net;
using System.Runtime.Versioning;

namespace Clinical.Api.Tests.Hosting;

/// <summary>What the service writes to disk is for its own account only (issue 16: key and SQLite were 0644).</summary>
[UnsupportedOSPlatform("windows")]
public sealed class PrivateFilesTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"clinical-private-{Guid.NewGuid():N}", "data");

    public void Dispose()
    {
        if (Directory.Exists(Path.GetDirectoryName(_folder)))
            Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);
    }

    [Fact]
    public async Task Given_a_new_database_folder_When_the_service_starts_Then_folder_0700_and_SQLite_files_0600()
    {
        var database = Path.Combine(_folder, "clinical.db");
        using (var factory = new ClinicalApiFactory { DatabaseFile = database, KeepDatabase = true })
        {
            using var client = factory.CreateCdsClient();
            Assert.Equal(
                HttpStatusCode.OK,
                (await client.GetAsync(new Uri("/cds-services", UriKind.Relative))).StatusCode
            );

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, Mode(_folder));
            foreach (var file in Directory.EnumerateFiles(_folder, "clinical.db*"))
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode(file));
            Assert.True(File.Exists(database + "-wal"));
        }
    }

    [Fact]
    public void Given_an_existing_world_readable_database_When_the_service_starts_Then_it_is_narrowed_to_0600()
    {
        Directory.CreateDirectory(_folder);
        var database = Path.Combine(_folder, "old.db");
        File.WriteAllBytes(database, []);
        File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        using var factory = new ClinicalApiFactory { DatabaseFile = database, KeepDatabase = true };
        factory.CreateClient().Dispose();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode(database));
    }

    [Fact]
    public void Given_the_development_key_in_Development_When_the_service_starts_Then_the_key_file_is_0600()
    {
        using var factory = new ClinicalApiFactory
        {
            DatabaseFile = Path.Combine(_folder, "clinical.db"),
            KeepDatabase = true,
            Settings = new Dictionary<string, string?> { ["Clinical:Auth:DevelopmentKey"] = "true" },
        };

        factory.CreateClient().Dispose();

        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite,
            Mode(Path.Combine(_folder, "development-signing-key.pem"))
        );
    }

    [Theory]
    [InlineData("Staging")]
    [InlineData("Prod")]
    [InlineData("development")]
    [InlineData("Development ")]
    public void Given_the_development_key_outside_Development_When_the_service_starts_Then_it_refuses(string name)
    {
        using var factory = new ClinicalApiFactory
        {
            Environment = name,
            DatabaseFile = Path.Combine(_folder, "clinical.db"),
            KeepDatabase = true,
            Settings = new Dictionary<string, string?> { ["Clinical:Auth:DevelopmentKey"] = "true" },
        };

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("every environment but Development", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "development-signing-key.pem")));
    }

    private static UnixFileMode Mode(string path) =>
        File.GetUnixFileMode(path)
        & (
            UnixFileMode.UserRead
            | UnixFileMode.UserWrite
            | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead
            | UnixFileMode.GroupWrite
            | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead
            | UnixFileMode.OtherWrite
            | UnixFileMode.OtherExecute
        );
}
