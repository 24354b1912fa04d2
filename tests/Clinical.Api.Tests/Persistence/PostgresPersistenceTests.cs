using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Clinical.Api.Hosting;
using Clinical.Api.Persistence;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Persistence;

/// <summary>
/// Runs only when CLINICAL_TEST_POSTGRES holds a connection string to a server where the role may create databases
/// (.ci/run sets it).
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "CLINICAL_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
            Skip =
                $"Set {Variable} to a PostgreSQL connection string (a role with CREATEDB) to run the PostgreSQL "
                + "persistence tests.";
    }
}

public sealed class PostgresPersistenceTests : IDisposable
{
    private readonly string _connectionString;
    private readonly List<ClinicalApiFactory> _hosts = [];

    public PostgresPersistenceTests()
    {
        var builder = new NpgsqlConnectionStringBuilder(
            Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable) ?? "Host=localhost"
        )
        {
            Database = $"clinical_test_{Guid.NewGuid():N}",
        };
        _connectionString = builder.ConnectionString;
    }

    private ClinicalApiFactory Host()
    {
        var host = new ClinicalApiFactory
        {
            Settings = new Dictionary<string, string?>
            {
                ["Clinical:DatabaseProvider"] = "postgres",
                ["ConnectionStrings:Clinical"] = _connectionString,
            },
        };
        _hosts.Add(host);
        return host;
    }

    public void Dispose()
    {
        if (_hosts.Count > 0)
            _hosts[0].InScope(db => db.Database.EnsureDeleted());
        foreach (var host in _hosts)
            host.Dispose();
    }

    private static StringContent Fhir(string json) =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/fhir+json"));

    [PostgresFact]
    public async Task Given_PostgreSQL_When_screening_searching_closing_and_auditing_Then_all_is_stored_and_read_back()
    {
        var host = Host();
        using var fhir = host.CreateFhirClient(
            "system/RiskAssessment.crs system/Flag.rus",
            [Roles.Clinician, Roles.Admin]
        );
        foreach (var fixture in new[] { FixtureFiles.PossibleUndiagnosedHeartFailure, FixtureFiles.NoSuspicion })
        {
            using var screened = await fhir.PostAsync(
                new Uri("/fhir/Bundle/$hf-screen?asOf=2026-06-30", UriKind.Relative),
                Fhir(FixtureFiles.Bundle(fixture))
            );
            Assert.Equal(HttpStatusCode.OK, screened.StatusCode);
        }

        var risks = FhirJson.Deserialize<Bundle>(
            await fhir.GetStringAsync(new Uri("/fhir/RiskAssessment?subject=Patient/fx-sana", UriKind.Relative))
        );
        Assert.Single(risks.Entry);
        var flags = FhirJson.Deserialize<Bundle>(
            await fhir.GetStringAsync(
                new Uri("/fhir/Flag?subject=Patient/fx-posible-ic&status=active", UriKind.Relative)
            )
        );
        var flag = Assert.Single(flags.Entry).Resource!;
        using var closed = await fhir.PostAsync(
            new Uri($"/fhir/Flag/{flag.Id}/$close", UriKind.Relative),
            Fhir("""{"resourceType":"Parameters"}""")
        );
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var audit = FhirJson.Deserialize<Bundle>(
            await fhir.GetStringAsync(new Uri("/fhir/AuditEvent?patient=Patient/fx-posible-ic", UriKind.Relative))
        );

        Assert.Equal(
            ["close-flag", "screen", "search-flag"],
            audit
                .Entry.Select(e => ((AuditEvent)e.Resource!).Subtype[0].Code ?? "")
                .Order(StringComparer.Ordinal)
                .ToArray()
        ); // one fixed clock: equal times
        Assert.True(host.InScope(db => db.Database.IsNpgsql()));
    }

    [PostgresFact]
    public async Task Given_PostgreSQL_When_a_hook_answers_and_feedback_comes_in_a_local_offset_Then_both_are_stored()
    {
        var host = Host();
        using var cds = host.CreateCdsClient();
        using var hook = await cds.PostAsync(
            new Uri("/cds-services/hf-screening", UriKind.Relative),
            new StringContent(
                FixtureFiles.PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure),
                Encoding.UTF8,
                "application/json"
            )
        );
        var uuid = (string?)JsonNode.Parse(await hook.Content.ReadAsStringAsync())!["cards"]![0]!["uuid"];

        using var feedback = await cds.PostAsync(
            new Uri("/cds-services/hf-screening/feedback", UriKind.Relative),
            new StringContent(
                $$"""{"feedback":[{"card":"{{uuid}}","outcome":"accepted","acceptedSuggestions":["""
                    + """{"id":"s1"}],"outcomeTimestamp":"2026-06-30T12:05:00+02:00"}]}""",
                Encoding.UTF8,
                "application/json"
            )
        );

        Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);
        var stored = Assert.Single(host.InScope(db => db.CardFeedback.ToList()));
        Assert.Equal(new DateTimeOffset(2026, 6, 30, 10, 5, 0, TimeSpan.Zero), stored.OutcomeTimestamp);
    }

    [PostgresFact]
    public async Task Given_PostgreSQL_When_a_token_is_replayed_after_a_restart_Then_it_is_refused()
    {
        var token = TestIdentityProvider.Mint(TestIdentityProvider.BaseUrl + "/cds-services");
        using (var first = Host().CreateClient())
        {
            first.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(
                HttpStatusCode.OK,
                (await first.GetAsync(new Uri("/cds-services", UriKind.Relative))).StatusCode
            );
        }
        using var again = Host().CreateClient();
        again.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await again.GetAsync(new Uri("/cds-services", UriKind.Relative))).StatusCode
        );
    }

    [PostgresFact]
    public async Task Given_six_processes_starting_on_a_new_database_When_each_ensures_it_Then_it_is_created_once()
    {
        var starts = Enumerable
            .Range(0, 6)
            .Select(_ =>
                new ServiceCollection()
                    .AddDbContext<ClinicalDbContext>(db => db.UseNpgsql(_connectionString))
                    .BuildServiceProvider()
            )
            .ToList();
        try
        {
            await Task.WhenAll(starts.Select(start => Task.Run(() => ClinicalServices.EnsureDatabaseAsync(start))));

            await using var scope = starts[0].CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClinicalDbContext>();
            var versions = await db.SchemaInfo.AsNoTracking().Select(s => s.Version).ToListAsync();
            Assert.Equal([ClinicalDbContext.SchemaVersion], versions);
        }
        finally
        {
            await using (var scope = starts[0].CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<ClinicalDbContext>().Database.EnsureDeletedAsync();
            foreach (var start in starts)
                await start.DisposeAsync();
        }
    }
}
