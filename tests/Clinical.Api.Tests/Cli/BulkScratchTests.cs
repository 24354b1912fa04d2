using System.Diagnostics;
using Clinical.Tests;

namespace Clinical.Api.Tests.Cli;

/// <summary>
/// The bulk reader's bucket files (copies of patient data) do not outlive a `screen` that is terminated: issue 16
/// found them left in the temporary folder. A real process, a real SIGTERM.
/// </summary>
public sealed class BulkScratchTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("bulk-scratch-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string[] Buckets() => Directory.GetDirectories(_temp, "*bulk*");

    [Fact]
    public async Task Given_a_bulk_screen_When_it_is_sent_SIGTERM_Then_its_bucket_folder_is_removed()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = FixtureFiles.RepositoryRoot, // the bundled models load, so screening takes a while
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["TMPDIR"] = _temp },
        };
        foreach (
            var argument in (string[])
                [
                    Path.Combine(AppContext.BaseDirectory, "clinical.dll"),
                    "screen",
                    FixtureFiles.PathOf("cohort"),
                    "--database",
                    Path.Combine(_temp, "clinical.db"),
                ]
        )
            start.ArgumentList.Add(argument);
        using var screen = Process.Start(start)!;
        var drain = Task.WhenAll(screen.StandardOutput.ReadToEndAsync(), screen.StandardError.ReadToEndAsync());
        var waited = Stopwatch.StartNew();
        while (Buckets().Length == 0)
        {
            Assert.False(screen.HasExited, "screen ended before its bucket folder appeared");
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "no bucket folder appeared");
            await Task.Delay(50);
        }

        using (
            var kill = Process.Start(
                "kill",
                ["-TERM", screen.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            )
        )
            await kill.WaitForExitAsync();
        await screen.WaitForExitAsync();
        await drain;

        Assert.Empty(Buckets());
    }
}
