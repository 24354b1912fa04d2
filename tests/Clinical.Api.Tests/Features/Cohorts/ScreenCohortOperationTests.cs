using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clinical.Api.Tests.Cli;
using Clinical.Fhir.Output;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Features.Cohorts;

/// <summary>
/// The host with an allow-listed input folder holding two generated exports (a small one, and a larger one to cancel
/// while it runs), runs written to a temporary folder, and small batches.
/// </summary>
public sealed class CohortRunHost : IDisposable
{
    public CohortRunHost()
    {
        Work = Directory.CreateTempSubdirectory("cohort-runs-").FullName;
        Allowed = Directory.CreateDirectory(Path.Combine(Work, "allowed")).FullName;
        Small = CohortRunFiles.Generate(Path.Combine(Allowed, "small"), patients: 25);
        Large = CohortRunFiles.Generate(Path.Combine(Allowed, "large"), patients: 300, seed: 7);
        Outside = CohortRunFiles.Generate(Path.Combine(Work, "outside"), patients: 3);
        Factory = new ClinicalApiFactory
        {
            Settings = new Dictionary<string, string?>
            {
                ["Clinical:Cohorts:InputFolders:0"] = Allowed,
                ["Clinical:Cohorts:OutputFolder"] = Path.Combine(Work, "runs"),
                ["Clinical:Cohorts:BatchSize"] = "2",
                ["Clinical:Cohorts:ShardBytes"] = "300000",
                ["Clinical:NoteModel"] = "none",
            },
        };
    }

    public string Work { get; }

    public string Allowed { get; }

    public string Small { get; }

    public string Large { get; }

    public string Outside { get; }

    public ClinicalApiFactory Factory { get; }

    public void Dispose()
    {
        Factory.Dispose();
        Directory.Delete(Work, recursive: true);
    }
}

public sealed class ScreenCohortOperationTests(CohortRunHost host) : IClassFixture<CohortRunHost>
{
    private const string Admin = "system/RiskAssessment.crs";

    private HttpClient Client(string[]? roles = null) => host.Factory.CreateFhirClient(Admin, roles ?? ["admin"]);

    private static StringContent Parameters(string input, string runId)
    {
        var parameters = new JsonObject
        {
            ["resourceType"] = "Parameters",
            ["parameter"] = new JsonArray(
                new JsonObject { ["name"] = "input", ["valueString"] = input },
                new JsonObject { ["name"] = "asOf", ["valueDate"] = "2026-06-30" },
                new JsonObject { ["name"] = "runId", ["valueString"] = runId }
            ),
        };
        return new StringContent(
            parameters.ToJsonString(),
            Encoding.UTF8,
            new MediaTypeHeaderValue("application/fhir+json")
        );
    }

    private async Task<HttpResponseMessage> KickOff(
        string input,
        string runId,
        bool async = true,
        string[]? roles = null
    )
    {
        using var client = Client(roles);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/$hf-screen-cohort")
        {
            Content = Parameters(input, runId),
        };
        if (async)
            request.Headers.Add("Prefer", "respond-async");
        return await client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> Poll(Uri status)
    {
        using var client = Client();
        return await client.GetAsync(status);
    }

    [Fact]
    public async Task Given_an_allowed_export_When_screened_asynchronously_Then_polling_ends_with_its_manifest()
    {
        using var kickOff = await KickOff(host.Small, "http-small");
        Assert.Equal(HttpStatusCode.Accepted, kickOff.StatusCode);
        var status = kickOff.Content.Headers.ContentLocation ?? kickOff.Headers.Location;
        Assert.NotNull(status);

        var deadline = DateTime.UtcNow.AddMinutes(3);
        HttpResponseMessage poll;
        while ((poll = await Poll(status)).StatusCode == HttpStatusCode.Accepted)
        {
            Assert.True(poll.Headers.Contains("X-Progress"));
            Assert.True(DateTime.UtcNow < deadline, "The run did not finish in time.");
            poll.Dispose();
            await Task.Delay(200);
        }
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        using var manifest = JsonDocument.Parse(await poll.Content.ReadAsStringAsync());
        Assert.True(manifest.RootElement.GetProperty("requiresAccessToken").GetBoolean());
        var risks = manifest
            .RootElement.GetProperty("output")
            .EnumerateArray()
            .Single(o => o.GetProperty("type").GetString() == "RiskAssessment");
        Assert.Equal(25, risks.GetProperty("count").GetInt32());
        using var client = Client();
        var ndjson = await client.GetStringAsync(new Uri(risks.GetProperty("url").GetString()!));
        Assert.Equal(25, ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var tag = Uri.EscapeDataString($"{ProductCodes.CohortRunSystem}|http-small");
        var first = FhirJson.Deserialize<Bundle>(
            await client.GetStringAsync(new Uri($"/fhir/RiskAssessment?_tag={tag}&_count=10", UriKind.Relative))
        );
        Assert.Equal((25, 10), (first.Total, first.Entry.Count));
        var next = first.Link.Single(l => l.Relation == "next").Url;
        var second = FhirJson.Deserialize<Bundle>(await client.GetStringAsync(new Uri(next!)));
        Assert.Equal(10, second.Entry.Count);
        Assert.Empty(first.Entry.Select(e => e.Resource!.Id).Intersect(second.Entry.Select(e => e.Resource!.Id)));
    }

    [Fact]
    public async Task Given_a_running_cohort_When_its_status_is_deleted_Then_it_stops_and_its_folder_goes()
    {
        using var kickOff = await KickOff(host.Large, "http-cancel");
        var status = kickOff.Content.Headers.ContentLocation!;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            using var poll = await Poll(status);
            var progress = poll.Headers.TryGetValues("X-Progress", out var values) ? values.Single() : "";
            if (
                poll.StatusCode != HttpStatusCode.Accepted
                || !progress.StartsWith('0') && progress.Contains(" of ", StringComparison.Ordinal)
            )
                break;
            Assert.True(DateTime.UtcNow < deadline, "The run never got going.");
            // Polled often, so the cancel lands early in the run even on a fast machine.
            await Task.Delay(20);
        }

        using (var client = Client())
        using (var deleted = await client.DeleteAsync(status))
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);

        using (var gone = await Poll(status))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var folder = Path.Combine(host.Work, "runs", "http-cancel");
        while (Directory.Exists(folder) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.False(Directory.Exists(folder));
        Assert.Equal(
            "cancelled",
            host.Factory.InScope(db => db.CohortRuns.Single(r => r.RunId == "http-cancel").Status)
        );
        Assert.True(host.Factory.InScope(db => db.Screenings.Count(s => s.RunId == "http-cancel")) < 300);
    }

    [Fact]
    public async Task Given_no_Prefer_respond_async_When_kicked_off_Then_400_and_no_run()
    {
        using var response = await KickOff(host.Small, "http-sync", async: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("respond-async", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(host.Factory.InScope(db => db.CohortRuns.Any(r => r.RunId == "http-sync")));
    }

    [Fact]
    public async Task Given_an_input_outside_the_allowed_folders_When_kicked_off_Then_400_naming_the_setting()
    {
        using var response = await KickOff(host.Outside, "http-outside");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(
            "Clinical:Cohorts:InputFolders",
            await response.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Given_a_token_without_the_admin_role_When_kicked_off_Then_403()
    {
        using var response = await KickOff(host.Small, "http-clinician", roles: ["clinician"]);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
