using Clinical.Api.Cli;
using Clinical.Api.Tests.Features.Cohorts.BulkExport;

namespace Clinical.Api.Tests.Cli;

public sealed class BulkExportVerbTests
{
    private static async Task<(int Exit, string Stdout, string[] Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Verbs.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Given_an_EHR_not_in_the_allow_list_When_exporting_Then_exit_2_and_it_is_never_contacted()
    {
        await using var test = await BulkExportTestHost.StartAsync();

        var (exit, stdout, stderr) = await Run(
            "bulk-export",
            "--from",
            test.Server.FhirBase,
            "--out",
            test.Folder,
            "--database",
            test.DatabaseFile
        );

        Assert.Equal(Verbs.InvalidInput, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr);
        Assert.Equal(
            $"error: --from {test.Server.FhirBase} is not in Clinical:BulkExport:AllowedFhirServers; "
                + "it was not contacted.",
            line
        );
        Assert.Empty(test.Server.Requests);
    }

    [Theory]
    [InlineData("--since", "2026-06-01", "--since '2026-06-01' is not a FHIR instant")]
    [InlineData("--group", "../admin", "--group '../admin' is not a FHIR id")]
    [InlineData("--type", "Patient,Gadget", "--type 'Gadget' is not a FHIR R4 resource type")]
    public async Task Given_a_bad_option_When_exporting_Then_exit_2_with_one_line_naming_it(
        string option,
        string value,
        string expected
    )
    {
        var (exit, _, stderr) = await Run(
            "bulk-export",
            "--from",
            "https://ehr.example/fhir",
            "--out",
            "x",
            "--database",
            Path.Combine(Path.GetTempPath(), $"bulk-export-{Guid.NewGuid():N}.db"),
            option,
            value
        );

        Assert.Equal(Verbs.InvalidInput, exit);
        Assert.Contains(expected, Assert.Single(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_since_and_since_export_together_When_exporting_Then_exit_2()
    {
        var (exit, _, stderr) = await Run(
            "bulk-export",
            "--from",
            "https://ehr.example/fhir",
            "--out",
            "x",
            "--since",
            "2026-06-01T00:00:00Z",
            "--since-export",
            "y"
        );

        Assert.Equal(Verbs.InvalidInput, exit);
        Assert.Contains(
            "--since and --since-export exclude each other",
            Assert.Single(stderr),
            StringComparison.Ordinal
        );
    }
}

/// <summary>
/// The verb end to end, configured as an operator would: environment variables, which every host in the process reads,
/// so it runs alone.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class BulkExportVerbEndToEndTests
{
    [Fact]
    public async Task Given_an_allow_listed_EHR_When_exporting_twice_Then_the_second_is_incremental_since_the_first()
    {
        await using var test = await BulkExportTestHost.StartAsync(serverClock: TimeProvider.System);
        var settings = new Dictionary<string, string>
        {
            ["Clinical__BulkExport__AllowedFhirServers__0"] = test.Server.FhirBase,
            ["Clinical__BulkExport__ClientId"] = BulkDataTestServer.ClientId,
            ["Clinical__BulkExport__PrivateKeyFile"] = test.KeyFile,
            ["Clinical__BulkExport__KeyId"] = "client-es384",
        };
        foreach (var (name, value) in settings)
            Environment.SetEnvironmentVariable(name, value);
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await Verbs.RunAsync(
                ["bulk-export", "--from", test.Server.FhirBase, "--out", test.Folder, "--database", test.DatabaseFile],
                stdout,
                stderr
            );

            Assert.True(exit == Verbs.Success, stderr.ToString());
            var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith($"Exported 5 files (", lines[0], StringComparison.Ordinal);
            Assert.Contains($"--since {BulkDataTestServer.TransactionTime}", lines[1], StringComparison.Ordinal);
            Assert.Contains($"warning: the EHR reported: {BulkExportTestHost.ServerError}", stderr.ToString());
            Assert.True(File.Exists(Path.Combine(test.Folder, "Observation.001.ndjson")));

            var exitAgain = await Verbs.RunAsync(
                [
                    "bulk-export",
                    "--from",
                    test.Server.FhirBase,
                    "--out",
                    test.Folder + "-next",
                    "--since-export",
                    test.Folder,
                    "--database",
                    test.DatabaseFile,
                ],
                TextWriter.Null,
                TextWriter.Null
            );

            Assert.Equal(Verbs.Success, exitAgain);
            Assert.EndsWith(
                $"&_since={BulkDataTestServer.TransactionTime}",
                test.Server.KickOffs.Last().Query,
                StringComparison.Ordinal
            );
            Directory.Delete(test.Folder + "-next", recursive: true);
        }
        finally
        {
            foreach (var name in settings.Keys)
                Environment.SetEnvironmentVariable(name, null);
        }
    }
}
