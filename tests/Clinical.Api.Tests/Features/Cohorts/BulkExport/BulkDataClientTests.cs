using System.Globalization;
using System.Text.Json;
using Clinical.Api.Features.Cohorts.BulkExport;
using Clinical.Fhir.Parsing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Clinical.Api.Tests.Features.Cohorts.BulkExport;

public sealed class BulkDataClientTests
{
    [Fact]
    public async Task Given_an_EHR_When_exporting_Then_the_folder_holds_what_the_cohort_reader_expects()
    {
        await using var test = await BulkExportTestHost.StartAsync();

        var result = await test.ExportAsync();

        var expected = BulkExportTestHost.Expected(test.Server);
        Assert.Equal(
            [
                "Condition.000.ndjson",
                "MedicationStatement.000.ndjson",
                "Observation.000.ndjson",
                "Observation.001.ndjson",
                "Patient.000.ndjson",
            ],
            expected.Keys.Order(StringComparer.Ordinal)
        );
        foreach (var (local, served) in expected)
            Assert.Equal(test.Server.Output.Single(f => f.Name == served).Content, test.Downloaded(local));
        var layout = BulkExportLayout.Discover(test.Folder);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), layout.Files.Select(f => Path.GetFileName(f.Path)));
        Assert.Contains(layout.Notes, n => n.Diagnostics.StartsWith("Skipped log.ndjson", StringComparison.Ordinal));
        Assert.Contains(layout.Notes, n => n.Diagnostics.StartsWith("Skipped manifest.json", StringComparison.Ordinal));
        Assert.Equal(BulkDataTestServer.TransactionTime, result.TransactionTime);
        Assert.Equal(5, result.Files);
        Assert.Equal(test.Server.Output.Sum(f => f.Content.Count(b => b == (byte)'\n')), result.Resources);
        Assert.Equal([BulkExportTestHost.ServerError], result.ServerErrors);
        Assert.True(File.Exists(Path.Combine(test.Folder, "error", "OperationOutcome.000.ndjson")));
        Assert.Equal(["success"], test.Audits());
        Assert.Single(test.Server.Deletes); // the EHR may release the files once they are all here
    }

    [Fact]
    public async Task Given_an_export_When_kicked_off_Then_the_request_is_the_IG_s_with_the_screening_types()
    {
        await using var test = await BulkExportTestHost.StartAsync();

        await test.ExportAsync();

        var kickOff = Assert.Single(test.Server.KickOffs);
        Assert.Equal("/fhir/Patient/$export", kickOff.Path);
        Assert.Equal("application/fhir+json", kickOff.Accept);
        Assert.Equal("respond-async", kickOff.Prefer);
        Assert.StartsWith("Bearer ", kickOff.Authorization, StringComparison.Ordinal);
        Assert.Equal(
            "?_outputFormat=application/fhir+ndjson&_type=Patient,Observation,Condition,MedicationStatement,"
                + "MedicationRequest,Encounter,DocumentReference,DiagnosticReport,Composition,Medication",
            kickOff.Query
        );
        Assert.DoesNotContain("PractitionerRole", kickOff.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("group-7", false, "/fhir/Group/group-7/$export")]
    [InlineData(null, true, "/fhir/$export")]
    public async Task Given_a_level_When_exporting_Then_the_kick_off_goes_to_its_endpoint(
        string? group,
        bool system,
        string path
    )
    {
        await using var test = await BulkExportTestHost.StartAsync();

        await test.ExportAsync(group: group, system: system);

        Assert.Equal(path, Assert.Single(test.Server.KickOffs).Path);
    }

    [Fact]
    public async Task Given_the_EHR_busy_When_polling_Then_Retry_After_X_Progress_429_and_5xx_are_honoured()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        test.Server.Script.AddRange([
            new StatusStep(202, "10% (Patient)", RetryAfter: 7),
            new StatusStep(429, RetryAfter: 11),
            new StatusStep(503, IssueCode: "transient"),
            new StatusStep(202, "80% (Observation)", RetryAfter: 13),
            new StatusStep(202),
        ]);

        await test.ExportAsync();

        var waits = test.Clock.Waits.Select(w => w.TotalSeconds).ToList();
        Assert.Equal([7, 11], waits.Take(2));
        Assert.InRange(waits[2], 0, 2); // 503 without Retry-After, second attempt: full jitter under 2 s
        Assert.Equal(13, waits[3]);
        Assert.Equal(1, waits[4]); // 202 without Retry-After: the client's own interval
        Assert.Equal(
            6,
            test.Server.Requests.Count(r =>
                r.Path.StartsWith("/fhir/bulkstatus/", StringComparison.Ordinal) && r.Method == "GET"
            )
        );
        Assert.Contains(test.Progress, p => p.Phase == ExportPhase.Waiting && p.Message.Contains("10% (Patient)"));
        Assert.Contains(test.Progress, p => p.Phase == ExportPhase.Retrying && p.Message.Contains("HTTP 429"));
        var events = LogEvents(test.Folder).ToList();
        Assert.Equal(2, events.Count(e => e.EventId == "status_progress" && e.Detail.Contains("% (")));
    }

    [Fact]
    public async Task Given_a_status_error_that_is_not_transient_When_polling_Then_the_export_fails_with_its_reason()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        test.Server.Script.Add(new StatusStep(500, IssueCode: "too-costly"));

        var failure = await Assert.ThrowsAsync<BulkExportException>(() => test.ExportAsync());

        Assert.Contains("The export failed on the EHR (HTTP 500", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["failure"], test.Audits());
        Assert.Contains(LogEvents(test.Folder), e => e.EventId == "status_error");
    }

    [Fact]
    public async Task Given_a_file_that_breaks_off_midway_When_downloading_Then_a_Range_request_fetches_the_rest()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        var observation = test.Server.Output.First(f => f.Type == "Observation");
        test.Server.BreakOffOnce.Add(observation.Name);

        await test.ExportAsync();

        var requests = test.Server.FileRequests(observation.Name).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Range);
        // The server sent half and dropped the connection; whatever had arrived is kept and the rest is asked for.
        var resumeAt = long.Parse(requests[1].Range!["bytes=".Length..^1], CultureInfo.InvariantCulture);
        Assert.InRange(resumeAt, 1, observation.Content.Length / 2);
        Assert.StartsWith("\"", requests[1].IfRange, StringComparison.Ordinal); // the ETag of the first answer
        Assert.Equal(observation.Content, test.Downloaded("Observation.000.ndjson"));
        Assert.Contains(LogEvents(test.Folder), e => e.EventId == "download_error");
    }

    [Fact]
    public async Task Given_a_server_without_ranges_When_a_file_breaks_off_Then_it_is_fetched_again_whole()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        test.Server.SupportsRanges = false;
        var observation = test.Server.Output.First(f => f.Type == "Observation");
        test.Server.BreakOffOnce.Add(observation.Name);

        await test.ExportAsync();

        Assert.Equal(2, test.Server.FileRequests(observation.Name).Count());
        Assert.Equal(observation.Content, test.Downloaded("Observation.000.ndjson"));
    }

    [Fact]
    public async Task Given_a_file_unavailable_for_a_while_When_downloading_Then_it_is_retried_as_Retry_After_says()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        var patient = test.Server.Output.Single(f => f.Type == "Patient");
        test.Server.UnavailableFor[patient.Name] = 2;

        await test.ExportAsync();

        Assert.Equal(3, test.Server.FileRequests(patient.Name).Count());
        Assert.Equal(2, test.Clock.Waits.Count(w => w == TimeSpan.FromSeconds(1)));
        Assert.Equal(patient.Content, test.Downloaded("Patient.000.ndjson"));
    }

    [Fact]
    public async Task Given_a_file_that_fails_When_rerun_Then_only_the_rest_is_fetched_from_the_same_export()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        var condition = test.Server.Output.Single(f => f.Type == "Condition");
        test.Server.Failing.Add(condition.Name);

        var failure = await Assert.ThrowsAsync<BulkExportException>(() => test.ExportAsync());
        Assert.Contains(
            "1 of 6 files could not be downloaded (Condition.000.ndjson",
            failure.Message,
            StringComparison.Ordinal
        );
        Assert.Contains("rerun the same command to resume", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(test.Folder, "Condition.000.ndjson")));
        Assert.Empty(test.Server.Deletes); // the export is kept on the EHR for the rerun
        var before = test.Server.Requests.Count(r => r.Path.StartsWith("/files/", StringComparison.Ordinal));

        test.Server.Failing.Clear();
        var result = await test.ExportAsync();

        Assert.True(result.Resumed);
        Assert.Single(test.Server.KickOffs);
        var after = test
            .Server.Requests.Where(r => r.Path.StartsWith("/files/", StringComparison.Ordinal))
            .Skip(before);
        Assert.Equal([$"/files/{condition.Name}"], after.Select(r => r.Path));
        Assert.Equal(condition.Content, test.Downloaded("Condition.000.ndjson"));
        Assert.Equal(["failure", "success"], test.Audits().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Given_a_finished_export_When_rerun_Then_nothing_is_asked_of_the_EHR()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        await test.ExportAsync();
        var requests = test.Server.Requests.Count;

        var again = await test.ExportAsync();

        Assert.True(again.Resumed);
        Assert.Equal(requests, test.Server.Requests.Count);
        Assert.Equal(5, again.Files);
    }

    [Fact]
    public async Task Given_an_interrupted_wait_When_rerun_Then_the_same_status_URL_is_polled_without_a_new_kick_off()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        test.Server.Script.AddRange([new StatusStep(202, "working", 5), new StatusStep(202, "still working", 5)]);
        test.Clock.HoldWaits = true;
        using var stop = new CancellationTokenSource();
        var first = test.ExportAsync(cancelOnInterrupt: false, cancellationToken: stop.Token);
        await WaitUntil(() => test.Progress.Any(p => p.Phase == ExportPhase.Waiting));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Empty(test.Server.Deletes);

        test.Clock.HoldWaits = false;
        var result = await test.ExportAsync();

        Assert.True(result.Resumed);
        Assert.Single(test.Server.KickOffs);
        Assert.Contains(test.Progress, p => p.Message.StartsWith("Resuming the export at", StringComparison.Ordinal));
        Assert.Equal(5, result.Files);
    }

    [Fact]
    public async Task Given_Ctrl_C_while_the_EHR_prepares_the_export_Then_a_DELETE_cancels_it_and_no_state_is_left()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        test.Server.Script.Add(new StatusStep(202, "working", 30));
        test.Clock.HoldWaits = true;
        using var stop = new CancellationTokenSource();

        var export = test.ExportAsync(cancellationToken: stop.Token);
        await WaitUntil(() => test.Progress.Any(p => p.Phase == ExportPhase.Waiting));
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => export);
        var delete = Assert.Single(test.Server.Deletes);
        Assert.StartsWith("/fhir/bulkstatus/", delete.Path, StringComparison.Ordinal);
        Assert.StartsWith("Bearer ", delete.Authorization, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(test.Folder, ExportState.FileName)));
        Assert.Contains(test.Progress, p => p.Phase == ExportPhase.Cancelled);
    }

    [Fact]
    public async Task Given_a_partial_file_left_by_a_killed_run_When_rerun_Then_a_Range_request_fetches_the_rest()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        var condition = test.Server.Output.Single(f => f.Type == "Condition");
        test.Server.Failing.Add(condition.Name);
        await Assert.ThrowsAsync<BulkExportException>(() => test.ExportAsync());
        // What a kill mid-transfer leaves: the first part of the file, under its .part name.
        var half = condition.Content.Length / 3;
        await File.WriteAllBytesAsync(
            Path.Combine(test.Folder, "Condition.000.ndjson.part"),
            condition.Content[..half]
        );
        test.Server.Failing.Clear();

        await test.ExportAsync();

        Assert.Equal($"bytes={half}-", test.Server.FileRequests(condition.Name).Last().Range);
        Assert.Equal(condition.Content, test.Downloaded("Condition.000.ndjson"));
        Assert.False(File.Exists(Path.Combine(test.Folder, "Condition.000.ndjson.part")));
    }

    [Fact]
    public async Task Given_a_finished_export_When_exporting_since_its_transactionTime_Then_the_EHR_receives_it()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        await test.ExportAsync();
        var since = ExportState.TransactionTimeOf(test.Folder);
        Assert.Equal(BulkDataTestServer.TransactionTime, since);
        Directory.Move(test.Folder, test.Folder + "-previous");

        await test.ExportAsync(since: since);

        var incremental = test.Server.KickOffs.Last();
        Assert.EndsWith($"&_since={BulkDataTestServer.TransactionTime}", incremental.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_manifest_file_on_another_origin_When_exporting_Then_it_is_refused_and_never_contacted()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        // Same server, but another origin (host name): the policy compares origins, not where they happen to lead.
        test.Server.FileOrigin = test.Server.Origin.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

        var failure = await Assert.ThrowsAsync<BulkExportException>(() => test.ExportAsync());

        Assert.Contains("it was not contacted", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(test.Server.Requests, r => r.Path.StartsWith("/files/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_the_file_origin_allow_listed_When_exporting_Then_its_files_are_downloaded_with_the_token()
    {
        static string Other(BulkDataTestServer server) =>
            server.Origin.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        await using var test = await BulkExportTestHost.StartAsync(settings: server => new Dictionary<string, string?>
        {
            [$"{BulkExportOptions.Section}:AllowedOrigins:0"] = Other(server),
        });
        test.Server.FileOrigin = Other(test.Server);

        var result = await test.ExportAsync();

        Assert.Equal(5, result.Files);
        var files = test.Server.Requests.Where(r => r.Path.StartsWith("/files/", StringComparison.Ordinal)).ToList();
        Assert.All(files, f => Assert.StartsWith("Bearer ", f.Authorization, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_files_redirected_to_allow_listed_storage_When_downloading_Then_the_token_stays_behind()
    {
        static string Storage(BulkDataTestServer server) =>
            server.Origin.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        await using var test = await BulkExportTestHost.StartAsync(settings: server => new Dictionary<string, string?>
        {
            [$"{BulkExportOptions.Section}:AllowedOrigins:0"] = Storage(server),
        });
        test.Server.RedirectFilesTo = Storage(test.Server);

        var result = await test.ExportAsync();

        Assert.Equal(5, result.Files);
        var signed = test.Server.Requests.Where(r => r.Query.Contains("signature", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, signed.Count);
        Assert.All(signed, r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task Given_a_file_redirected_to_an_origin_not_allowed_When_downloading_Then_the_hop_is_refused()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        test.Server.RedirectFilesTo = test.Server.Origin.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

        var failure = await Assert.ThrowsAsync<BulkExportException>(() => test.ExportAsync());

        Assert.Contains("a redirect of the file", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(test.Server.Requests, r => r.Query.Contains("signature", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_files_that_need_no_token_When_downloading_Then_no_Authorization_header_is_sent()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        test.Server.RequiresAccessToken = false;

        await test.ExportAsync();

        var files = test.Server.Requests.Where(r => r.Path.StartsWith("/files/", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, files.Count);
        Assert.All(files, f => Assert.Null(f.Authorization));
    }

    [Fact]
    public void Given_a_malformed_allow_list_entry_When_services_are_added_Then_the_start_up_stops_naming_it()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(
                new Dictionary<string, string?>
                {
                    [$"{BulkExportOptions.Section}:AllowedFhirServers:0"] = "https://ehr.example/fhir",
                    [$"{BulkExportOptions.Section}:AllowedFhirServers:1"] = "ehr.example/fhir",
                }
            )
            .Build();

        var failure = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddBulkExportClient(configuration)
        );

        Assert.Equal(
            "Clinical:BulkExport:AllowedFhirServers:1 ('ehr.example/fhir') is not an absolute http(s) URL without "
                + "user info, query or fragment.",
            failure.Message
        );
    }

    [Fact]
    public async Task Given_a_folder_with_other_files_When_exporting_Then_it_is_refused_before_the_EHR_is_called()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        Directory.CreateDirectory(test.Folder);
        await File.WriteAllTextAsync(Path.Combine(test.Folder, "Patient.ndjson"), "{}\n");

        var failure = await Assert.ThrowsAsync<ArgumentException>(() => test.ExportAsync());

        Assert.Contains("holds no export to resume (Patient.ndjson)", failure.Message, StringComparison.Ordinal);
        Assert.Empty(test.Server.Requests);
    }

    [Fact]
    public async Task Given_a_folder_of_another_export_When_exporting_Then_it_is_refused()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        await test.ExportAsync();

        var failure = await Assert.ThrowsAsync<ArgumentException>(() => test.ExportAsync(group: "other"));

        Assert.Contains("holds another export", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_standard_log_When_an_export_ends_Then_it_has_the_events_other_bulk_tools_read()
    {
        await using var test = await BulkExportTestHost.StartAsync();
        test.Server.Script.Add(new StatusStep(202, "50%", RetryAfter: 2));

        await test.ExportAsync();

        var events = LogEvents(test.Folder).ToList();
        Assert.Equal(
            ["kickoff", "status_progress", "status_complete", "status_page_complete", "manifest_complete"],
            events.Take(5).Select(e => e.EventId)
        );
        Assert.Equal(6, events.Count(e => e.EventId == "download_request"));
        Assert.Equal(6, events.Count(e => e.EventId == "download_complete"));
        Assert.Equal("export_complete", events[^1].EventId);
        var statusUrl = JsonDocument
            .Parse(File.ReadAllText(Path.Combine(test.Folder, ExportState.FileName)))
            .RootElement.GetProperty("statusUrl")
            .GetString();
        Assert.All(events, e => Assert.Equal(statusUrl, e.ExportId));
        var log = File.ReadAllText(Path.Combine(test.Folder, ExportLog.FileName));
        Assert.DoesNotContain("Bearer", log, StringComparison.Ordinal);
    }

    private static IEnumerable<(string ExportId, string EventId, string Detail)> LogEvents(string folder) =>
        File.ReadLines(Path.Combine(folder, ExportLog.FileName))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e =>
                (
                    e.GetProperty("exportId").GetString()!,
                    e.GetProperty("eventId").GetString()!,
                    e.GetProperty("eventDetail").GetRawText()
                )
            );

    /// <summary>Waits for a condition the code under test reaches on its own (not a timing assertion).</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
            await Task.Delay(10);
        Assert.True(condition());
    }
}
