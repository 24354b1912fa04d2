using System.Net;
using System.Net.Sockets;
using Clinical.Api.Cli;
using Clinical.Api.Features.Cohorts.Cluster;
using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Api.Hosting;
using Clinical.Api.Tests.Cli;
using Clinical.Api.Tests.Features.Cohorts.BulkExport;
using Clinical.Api.Tests.Persistence;
using Clinical.Tests;
using Npgsql;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Features.Cohorts.Cluster;

/// <summary>
/// The cluster as operators run it: a `worker` and a `screen-cohort --cluster` joining one cluster kept in
/// PostgreSQL (ADO.NET clustering and grain storage) on a new, empty database: the worker creates the cluster's
/// tables itself. Needs CLINICAL_TEST_POSTGRES (a role with CREATEDB); skips without it. Configured through
/// environment variables, so it runs alone.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class PostgresClusterTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("cohort-pg-cluster-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [PostgresFact]
    public async Task Given_a_worker_and_a_coordinator_on_PostgreSQL_When_a_cohort_runs_Then_each_patient_once()
    {
        await using var database = await ScratchDatabase.CreateAsync("clinical_orleans");
        var cohort = CohortRunFiles.Generate(Path.Combine(_work, "cohort"), patients: 60);
        var clinical = Path.Combine(_work, "clinical.db");
        var settings = new Dictionary<string, string>
        {
            ["Clinical__Cluster__ConnectionString"] = database.ConnectionString,
            ["Clinical__Cluster__ClusterId"] = $"test-{Guid.NewGuid():N}",
            ["Clinical__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Clinical__Cluster__SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Clinical__Cluster__GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Clinical__Cluster__PollMilliseconds"] = "200",
            ["Clinical__Cohorts__BatchSize"] = "4",
            ["Clinical__Cohorts__ShardBytes"] = "30000",
        };
        foreach (var (name, value) in settings)
            Environment.SetEnvironmentVariable(name, value);
        using var leave = new CancellationTokenSource();
        var workerErrors = new StringWriter();
        Task<int>? worker = null;
        try
        {
            string[] models =
            [
                "--database",
                clinical,
                "--tabular-model",
                FixtureFiles.PathOf("models", "hf-tabular"),
                "--note-model",
                "none",
            ];
            worker = await StartWorkerAsync(
                ["worker", "--cluster", database.ConnectionString, .. models],
                workerErrors,
                leave.Token
            );
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();

            var screened = await Verbs.RunAsync(
                [
                    "screen-cohort",
                    cohort,
                    "--out",
                    Path.Combine(_work, "out"),
                    "--run-id",
                    "pg-1",
                    "--as-of",
                    "2026-06-30",
                    "--cluster",
                    .. models,
                ],
                stdout,
                stderr
            );

            Assert.True(screened == Verbs.Success, stderr.ToString() + workerErrors);
            var summary = CohortRunSummary.FromJson(stdout.ToString());
            Assert.Equal(("completed", 60, 0), (summary.Status, summary.Patients.Read, summary.Patients.Failed));
            Assert.Equal(
                summary.Patients.Screened,
                CohortRunFiles.Count(clinical, "SELECT count(DISTINCT PatientReference) FROM Screenings")
            );
            Assert.Equal(summary.Patients.Screened, CohortRunFiles.Count(clinical, "SELECT count(*) FROM Screenings"));
            Assert.True(await database.ScalarAsync("SELECT count(DISTINCT port) FROM orleans_membership") >= 2);
            Assert.True(await database.ScalarAsync("SELECT count(*) FROM orleans_grain_state") > 0);
        }
        finally
        {
            await leave.CancelAsync();
            if (worker is not null)
                await worker;
            foreach (var name in settings.Keys)
                Environment.SetEnvironmentVariable(name, null);
        }
    }

    /// <summary>Starts the worker verb and returns once it says it joined the cluster.</summary>
    private static async Task<Task<int>> StartWorkerAsync(
        string[] args,
        StringWriter errors,
        CancellationToken cancellationToken
    )
    {
        var seen = new TaskCompletionSource();
        var stderr = new WatchedWriter(errors, "joined cluster", seen);
        // The worker's own ports: the coordinator takes the ones in the environment.
        string[] ports =
        [
            "--silo-port",
            FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gateway-port",
            FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        var task = Task.Run(() => Verbs.RunAsync([.. args, .. ports], TextWriter.Null, stderr, cancellationToken));
        await Task.WhenAny(seen.Task, task, Task.Delay(TimeSpan.FromMinutes(3), CancellationToken.None));
        Assert.True(seen.Task.IsCompleted, errors.ToString());
        return task;
    }

    private sealed class WatchedWriter(StringWriter inner, string watched, TaskCompletionSource seen) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value) => inner.Write(value);

        public override void WriteLine(string? value)
        {
            inner.WriteLine(value);
            if (value?.Contains(watched, StringComparison.Ordinal) == true)
                seen.TrySetResult();
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }

    /// <summary>A TCP port free on this machine now (for silo and gateway ports).</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
