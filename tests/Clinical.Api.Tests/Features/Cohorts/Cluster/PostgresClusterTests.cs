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

/// <summary>Runs with CLINICAL_TEST_POSTGRES and CLINICAL_TEST_ORLEANS_SQL set, skips otherwise.</summary>
public sealed class PostgresClusterFactAttribute : FactAttribute
{
    public PostgresClusterFactAttribute()
    {
        if (
            string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable))
            || string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresClusterTests.ScriptsVariable))
        )
            Skip =
                $"Set {PostgresFactAttribute.Variable} (a role with CREATEDB) and "
                + $"{PostgresClusterTests.ScriptsVariable} (a folder with the Orleans PostgreSQL scripts) "
                + "to run the PostgreSQL cluster test.";
    }
}

/// <summary>
/// The cluster as operators run it: a `worker` and a `screen-cohort --cluster` joining one cluster kept in
/// PostgreSQL (ADO.NET clustering and grain storage). Needs CLINICAL_TEST_POSTGRES (a role with CREATEDB) and
/// CLINICAL_TEST_ORLEANS_SQL, a folder with the Orleans scripts for PostgreSQL (see README); skips without them.
/// Configured through environment variables, so it runs alone.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class PostgresClusterTests : IDisposable
{
    public const string ScriptsVariable = "CLINICAL_TEST_ORLEANS_SQL";

    private readonly string _work = Directory.CreateTempSubdirectory("cohort-pg-cluster-").FullName;
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(
        Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable) ?? "Host=localhost"
    )
    {
        Database = $"clinical_orleans_{Guid.NewGuid():N}",
    }.ConnectionString;

    public void Dispose()
    {
        Directory.Delete(_work, recursive: true);
        if (Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable) is not { Length: > 0 } admin)
            return;
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(admin);
        connection.Open();
        var name = new NpgsqlConnectionStringBuilder(_connectionString).Database;
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }

    [PostgresClusterFact]
    public async Task Given_a_worker_and_a_coordinator_on_PostgreSQL_When_a_cohort_runs_Then_each_patient_once()
    {
        var scripts = Environment.GetEnvironmentVariable(ScriptsVariable)!;
        await CreateDatabaseAsync();
        var cohort = CohortRunFiles.Generate(Path.Combine(_work, "cohort"), patients: 60);
        var database = Path.Combine(_work, "clinical.db");
        var settings = new Dictionary<string, string>
        {
            ["Clinical__Cluster__ConnectionString"] = _connectionString,
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
                database,
                "--tabular-model",
                FixtureFiles.PathOf("models", "hf-tabular"),
                "--note-model",
                "none",
            ];
            worker = await StartWorkerAsync(
                ["worker", "--cluster", _connectionString, "--orleans-sql", scripts, .. models],
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
                CohortRunFiles.Count(database, "SELECT count(DISTINCT PatientReference) FROM Screenings")
            );
            Assert.Equal(summary.Patients.Screened, CohortRunFiles.Count(database, "SELECT count(*) FROM Screenings"));
            Assert.True(await ScalarAsync("SELECT count(DISTINCT Port) FROM OrleansMembershipTable") >= 2);
            Assert.True(await ScalarAsync("SELECT count(*) FROM OrleansStorage") > 0);
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

    private async Task CreateDatabaseAsync()
    {
        await using var connection = new NpgsqlConnection(
            Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)
        );
        await connection.OpenAsync();
        var name = new NpgsqlConnectionStringBuilder(_connectionString).Database;
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
