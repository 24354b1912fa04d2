using System.Text;

namespace Clinical.Api.Tests.Features.Cohorts.BulkExport;

/// <summary>Downloads stream to disk: memory does not grow with the file (allocated bytes, not time).</summary>
[Collection(nameof(RunsAlone))]
public sealed class DownloadMemoryTests
{
    [Fact]
    public async Task Given_a_64_MiB_file_that_breaks_off_When_downloaded_Then_under_a_quarter_of_it_is_allocated()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        test.Server.Output.Clear();
        test.Server.Errors.Clear();
        var line = Encoding.UTF8.GetBytes(new string('x', 1023) + "\n");
        var content = new byte[64 * 1024 * 1024];
        for (var at = 0; at < content.Length; at += line.Length)
            line.CopyTo(content, at);
        test.Server.Output.Add(("Observation", "large.ndjson", content));
        test.Server.BreakOffOnce.Add("large.ndjson");
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var result = await test.ExportAsync();

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(2, test.Server.FileRequests("large.ndjson").Count()); // the break-off was resumed
        Assert.Equal(content.Length / line.Length, result.Resources);
        Assert.Equal(content.Length, new FileInfo(Path.Combine(test.Folder, "Observation.000.ndjson")).Length);
        Assert.True(
            allocated < content.Length / 4,
            $"{allocated:N0} bytes allocated for a {content.Length:N0}-byte file"
        );
    }
}
