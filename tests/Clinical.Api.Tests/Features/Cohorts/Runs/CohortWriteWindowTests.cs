using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Clinical.Api.Features.Cohorts;
using Clinical.Api.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Clinical.Api.Tests.Features.Cohorts.Runs;

/// <summary>
/// A cohort run holds SQLite's one writer only to store a batch: the service's other writes (a token's jti, a
/// dashboard action) go through between its batches instead of waiting out the busy timeout.
/// </summary>
public sealed class CohortWriteWindowTests(CohortRunHost host) : IClassFixture<CohortRunHost>
{
    private const string RunId = "write-window";

    [Fact]
    public async Task Given_a_cohort_committing_batches_When_another_writer_saves_Then_it_is_never_busy()
    {
        Assert.Equal("wal", host.Factory.InScope(JournalMode));
        await KickOffAsync(host.Large);
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicalDbContext>();
        // A writer that gives up after 2 s instead of the default 30: one batch transaction of the run, or a wait for
        // a writer that waits for it, lasting that long throws SQLITE_BUSY here and fails the test.
        db.Database.SetCommandTimeout(2);
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA busy_timeout=2000;");
        var storedWhileWriting = new HashSet<int>();
        var writes = 0;
        string status;
        do
        {
            // The same insert as a token's first use (ClinicalAuthentication), through the host's DbContext.
            db.UsedTokenIds.Add(new UsedTokenId { Key = $"{RunId}|{writes++}", ExpiresAt = long.MaxValue });
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            storedWhileWriting.Add(await db.Screenings.CountAsync(s => s.RunId == RunId));
            status = await db.CohortRuns.Where(r => r.RunId == RunId).Select(r => r.Status).SingleAsync();
        } while (status is CohortRunStatus.Queued or CohortRunStatus.Running);

        Assert.Equal(CohortRunStatus.Completed, status);
        Assert.Equal(300, await db.Screenings.CountAsync(s => s.RunId == RunId));
        Assert.Equal(writes, await db.UsedTokenIds.CountAsync(u => u.Key.StartsWith(RunId + "|")));
        // The writes overlapped the run: they saw it part-way through several batches.
        Assert.True(
            storedWhileWriting.Count(n => n is > 0 and < 300) >= 3,
            $"The writes saw {string.Join(", ", storedWhileWriting.Order())} results stored."
        );
    }

    private static string JournalMode(ClinicalDbContext db) =>
        db
            .Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode")
            .AsEnumerable()
            .Single();

    private async Task KickOffAsync(string input)
    {
        var parameters = new JsonObject
        {
            ["resourceType"] = "Parameters",
            ["parameter"] = new JsonArray(
                new JsonObject { ["name"] = "input", ["valueString"] = input },
                new JsonObject { ["name"] = "asOf", ["valueDate"] = "2026-06-30" },
                new JsonObject { ["name"] = "runId", ["valueString"] = RunId }
            ),
        };
        using var client = host.Factory.CreateFhirClient("system/RiskAssessment.crs", ["admin"]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/$hf-screen-cohort")
        {
            Content = new StringContent(
                parameters.ToJsonString(),
                Encoding.UTF8,
                new MediaTypeHeaderValue("application/fhir+json")
            ),
        };
        request.Headers.Add("Prefer", "respond-async");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
