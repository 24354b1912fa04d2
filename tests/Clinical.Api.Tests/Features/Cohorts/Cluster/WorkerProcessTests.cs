using System.Diagnostics;
using System.Globalization;
using Clinical.Api.Tests.Persistence;
using Clinical.Tests;

namespace Clinical.Api.Tests.Features.Cohorts.Cluster;

/// <summary>
/// The `worker` executable as a service manager runs it: started on a new database (it creates the cluster's tables
/// itself), stopped with SIGTERM (systemd, docker stop). Needs CLINICAL_TEST_POSTGRES.
/// </summary>
public sealed class WorkerProcessTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("cohort-worker-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [PostgresFact]
    public async Task Given_a_worker_process_When_it_is_sent_SIGTERM_Then_it_leaves_the_cluster_and_exits()
    {
        await using var database = await ScratchDatabase.CreateAsync("orleans_worker");
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "clinical"))
        {
            WorkingDirectory = FixtureFiles.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["Clinical__Cluster__AdvertisedAddress"] = "127.0.0.1" },
        };
        foreach (
            var argument in (string[])
                [
                    "worker",
                    "--cluster",
                    database.ConnectionString,
                    "--silo-port",
                    PostgresClusterTests.FreePort().ToString(CultureInfo.InvariantCulture),
                    "--gateway-port",
                    PostgresClusterTests.FreePort().ToString(CultureInfo.InvariantCulture),
                    "--database",
                    Path.Combine(_work, "clinical.db"),
                    "--note-model",
                    "none",
                ]
        )
            start.ArgumentList.Add(argument);
        using var worker = Process.Start(start)!;
        var stdout = worker.StandardOutput.ReadToEndAsync();
        var stderr = new List<string>();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            while (await worker.StandardError.ReadLineAsync(limit.Token) is { } line)
            {
                stderr.Add(line);
                if (line.Contains("joined cluster", StringComparison.Ordinal))
                    break;
            }
            Assert.True(stderr.Count > 0 && stderr[^1].Contains("joined", StringComparison.Ordinal), Joined(stderr));
            Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM orleans_membership WHERE status = 3"));

            using (var kill = Process.Start("kill", ["-TERM", worker.Id.ToString(CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync(limit.Token);
            stderr.AddRange((await worker.StandardError.ReadToEndAsync(limit.Token)).Split('\n'));
            await worker.WaitForExitAsync(limit.Token);
            await stdout;
        }
        finally
        {
            if (!worker.HasExited)
                worker.Kill(entireProcessTree: true);
        }

        Assert.Equal(0, worker.ExitCode);
        Assert.Contains(stderr, l => l.Contains("leaving the cluster", StringComparison.Ordinal));
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM orleans_membership WHERE status = 6"));
    }

    private static string Joined(List<string> stderr) => "the worker did not join: " + string.Join('\n', stderr);
}
