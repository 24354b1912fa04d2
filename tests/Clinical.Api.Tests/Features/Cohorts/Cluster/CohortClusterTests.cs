using Clinical.Api.Features.Cohorts.Cluster;
using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Api.Hosting;
using Clinical.Api.Tests.Cli;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Orleans.Runtime;
using Orleans.TestingHost;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Features.Cohorts.Cluster;

public sealed class CohortClusterTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("cohort-cluster-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private Dictionary<string, string?> Settings() =>
        new()
        {
            ["Clinical:Database"] = Path.Combine(_work, "clinical.db"),
            [RiskEngineLoader.TabularKey] = FixtureFiles.PathOf("models", "hf-tabular"),
            [RiskEngineLoader.NoteKey] = RiskEngineLoader.None,
            // About five shards of two dozen patients, committed one at a time, and 5-ms polls: the first commit is
            // reported while every shard still has a score of commits to go, however fast the machine, so a silo is
            // stopped while its shard is at work.
            [$"{CohortRunOptions.Section}:BatchSize"] = "1",
            [$"{CohortRunOptions.Section}:ShardBytes"] = "1100000",
            [$"{CohortRunOptions.Section}:Parallelism"] = "1",
            [$"{CohortClusterOptions.Section}:PollMilliseconds"] = "5",
        };

    [Fact]
    public async Task Given_three_silos_When_one_stops_mid_run_Then_its_shards_finish_elsewhere_and_each_patient_once()
    {
        var cohort = CohortRunFiles.Generate(Path.Combine(_work, "cohort"), patients: 120);
        var builder = new TestClusterBuilder(3);
        foreach (var (key, value) in Settings())
            builder.Properties[key] = value!;
        builder.AddSiloBuilderConfigurator<ClinicalSilo>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            await ClusterCoordinator.WaitForActiveSilosAsync(cluster, 3);
            var output = Path.Combine(_work, "out");
            StopASiloMidRun? stopper = null;

            var (summary, workers) = await ClusterCoordinator.ScreenAsync(
                cluster,
                Settings(),
                cohort,
                output,
                "cluster-1",
                w => stopper = new StopASiloMidRun(cluster, w)
            );

            Assert.NotNull(stopper);
            Assert.NotNull(stopper.Stopping);
            await stopper.Stopping;
            Assert.NotEmpty(stopper.ShardsOnIt);
            Assert.Equal(3, stopper.SilosAtWork);
            // Whether a shard running on the stopping silo ends there (its last batch committed before the stop) or on
            // a silo that stayed is a race an idle machine can win either way (seen both ways); what must hold is that
            // the run completes with every patient exactly once, whichever silo finished each shard.
            Assert.True(workers.Statuses.Values.Select(s => s.Silo).Distinct().Count() >= 2);
            Assert.Equal(("completed", 120, 0), (summary.Status, summary.Patients.Read, summary.Patients.Failed));
            Assert.Equal(120, summary.Patients.Screened + summary.Patients.Skipped.Total);
            var subjects = CohortRunFiles
                .Lines(output, CohortFiles.RiskAssessment)
                .Select(l => FhirJson.Deserialize<RiskAssessment>(l).Subject.Reference)
                .ToList();
            Assert.Equal(summary.Patients.Screened, subjects.Count);
            Assert.Equal(subjects.Count, subjects.Distinct(StringComparer.Ordinal).Count());
            var database = Path.Combine(_work, "clinical.db");
            Assert.Equal(
                summary.Patients.Screened,
                CohortRunFiles.Count(database, "SELECT count(DISTINCT PatientReference) FROM Screenings")
            );
            Assert.Equal(summary.Patients.Screened, CohortRunFiles.Count(database, "SELECT count(*) FROM Screenings"));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>
    /// Once a batch is committed, stops (gracefully) a secondary silo that is screening a shard, and remembers which
    /// shards were on it and on how many silos the run's shards were then.
    /// </summary>
    private sealed class StopASiloMidRun(TestCluster cluster, ClusterShardWorkers workers) : IProgress<CohortProgress>
    {
        public Task? Stopping { get; private set; }

        public SiloAddress? Stopped { get; private set; }

        public List<int> ShardsOnIt { get; } = [];

        public int SilosAtWork { get; private set; }

        public void Report(CohortProgress value)
        {
            if (Stopping is not null || value.Session.Done == 0)
                return;
            var running = workers.Statuses.Where(s => !s.Value.Done).ToList();
            var silo = cluster.SecondarySilos.FirstOrDefault(h => running.Any(s => s.Value.Silo == h.SiloAddress));
            if (silo is null)
                return;
            Stopped = silo.SiloAddress;
            SilosAtWork = workers.Statuses.Values.Select(s => s.Silo).Distinct().Count();
            ShardsOnIt.AddRange(running.Where(s => s.Value.Silo == silo.SiloAddress).Select(s => s.Key));
            Stopping = cluster.StopSiloAsync(silo);
        }
    }
}
