using System.Globalization;
using Clinical.Api.Cli;
using Clinical.Api.Features.Cohorts.Cluster;
using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Api.Hosting;
using Clinical.Api.Tests.Cli;
using Clinical.Tests;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Features.Cohorts.Cluster;

/// <summary>
/// `screen-cohort --cluster` on one machine with nothing set up: a silo of its own, grain state in memory.
/// </summary>
public sealed class ProcessClusterTests : IDisposable
{
    private const string RunId = "alone-1";

    private readonly string _work = Directory.CreateTempSubdirectory("cohort-process-cluster-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private async Task<(int Exit, string Stderr)> Screen(string cohort, string name, bool cluster)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] settings =
        [
            .. CommonOptions.ToModelArgs(FixtureFiles.PathOf("models", "hf-tabular"), RiskEngineLoader.None),
            $"--{CohortRunOptions.Section}:BatchSize=4",
            $"--{CohortRunOptions.Section}:ShardBytes=300000",
            $"--{CohortClusterOptions.Section}:PollMilliseconds=50",
            $"--{CohortClusterOptions.Section}:SiloPort={Port()}",
            $"--{CohortClusterOptions.Section}:GatewayPort={Port()}",
        ];
        var exit = await ScreenCohortVerb.RunAsync(
            new ScreenCohortVerb.CohortRequest(
                [cohort],
                Path.Combine(_work, name),
                RunId,
                false,
                new DateOnly(2026, 6, 30),
                null,
                Path.Combine(_work, name + ".db"),
                settings
            )
            {
                Cluster = cluster,
            },
            stdout,
            stderr,
            CancellationToken.None,
            terminal: false
        );
        return (exit, stderr.ToString());
    }

    private static string Port() => PostgresClusterTests.FreePort().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Given_no_cluster_database_When_screened_with_cluster_Then_its_own_silo_gives_the_local_outputs()
    {
        var cohort = CohortRunFiles.Generate(Path.Combine(_work, "cohort"), patients: 40);

        var (localExit, _) = await Screen(cohort, "local", cluster: false);
        var (clusterExit, stderr) = await Screen(cohort, "alone", cluster: true);

        Assert.Equal((Verbs.Success, Verbs.Success), (localExit, clusterExit));
        Assert.Contains("this process alone, state in memory", stderr, StringComparison.Ordinal);
        Assert.Equal(
            CohortRunFiles.Outputs(Path.Combine(_work, "local")),
            CohortRunFiles.Outputs(Path.Combine(_work, "alone"))
        );
        Assert.Equal(
            CohortRunFiles.StoredRows(Path.Combine(_work, "local.db"), RunId),
            CohortRunFiles.StoredRows(Path.Combine(_work, "alone.db"), RunId)
        );
    }
}
