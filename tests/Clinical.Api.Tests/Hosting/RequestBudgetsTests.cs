using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Clinical.Api.Hosting;
using Clinical.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Clinical.Api.Tests.Hosting;

/// <summary>
/// The CPU-exhaustion findings of issue 16 (a 1.6 MB Bundle of 1,000 short notes took 23 s of CPU; a client that went
/// away left its work running): note budgets, a time budget, cancellation on disconnect, a cap on large bodies.
/// </summary>
public sealed class RequestBudgetsTests
{
    /// <summary>The possible-HF fixture with its note repeated: short notes, as in the reproduction.</summary>
    public static string NotesBundle(int notes, int charactersPerNote = 0)
    {
        var bundle = JsonNode.Parse(FixtureFiles.Bundle(FixtureFiles.PossibleUndiagnosedHeartFailure))!.AsObject();
        var entries = bundle["entry"]!.AsArray();
        var note = entries.First(e => (string?)e!["resource"]!["resourceType"] == "DocumentReference")!;
        for (var i = 0; i < notes; i++)
        {
            var copy = note.DeepClone();
            copy["fullUrl"] = $"urn:uuid:{Guid.NewGuid()}";
            copy["resource"]!["id"] = $"nota-{i}";
            var text = $"Nota {i}. Refiere disnea de esfuerzo y edemas maleolares. Niega ortopnea. ";
            text += new string('x', Math.Max(0, charactersPerNote - text.Length));
            copy["resource"]!["content"]![0]!["attachment"]!["data"] = Convert.ToBase64String(
                Encoding.UTF8.GetBytes(text)
            );
            entries.Add(copy);
        }
        return bundle.ToJsonString();
    }

    private static StringContent Fhir(string json) =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/fhir+json"));

    private static ClinicalApiFactory WithNoteModel(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Clinical:NoteModel"] = FixtureFiles.PathOf("models", "hf-note-classifier"),
        };
        foreach (var (key, value) in settings)
            all[key] = value;
        return new ClinicalApiFactory { Settings = all };
    }

    [Fact]
    public async Task Given_a_bundle_of_1000_notes_When_screened_Then_413_names_MaxNotes_and_nothing_is_scored()
    {
        using var factory = WithNoteModel();
        using var client = factory.CreateFhirClient();

        using var response = await client.PostAsync(
            new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative),
            Fhir(NotesBundle(1000))
        );

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("1,001 notes; the limit is 200 (Clinical:Limits:MaxNotes)", text, StringComparison.Ordinal);
        Assert.Equal(0, factory.InScope(db => db.Screenings.Count()));
    }

    [Fact]
    public async Task Given_notes_over_the_character_budget_When_screened_Then_413_names_MaxNoteCharacters()
    {
        using var factory = WithNoteModel(("Clinical:Limits:MaxNoteCharacters", "10000"));
        using var client = factory.CreateFhirClient();

        using var response = await client.PostAsync(
            new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative),
            Fhir(NotesBundle(3, charactersPerNote: 5000))
        );

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains(
            "(Clinical:Limits:MaxNoteCharacters)",
            await response.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Given_a_prefetch_of_1000_notes_When_the_hook_fires_Then_413()
    {
        using var factory = WithNoteModel();
        var request = JsonNode.Parse(FixtureFiles.PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure))!;
        var notes = JsonNode.Parse(NotesBundle(1000))!["entry"]!.AsArray();
        request["prefetch"]!["documents"] = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["entry"] = new JsonArray(
                notes
                    .Where(e => (string?)e!["resource"]!["resourceType"] == "DocumentReference")
                    .Select(e =>
                    {
                        var entry = e!.DeepClone();
                        entry["resource"]!["subject"] = new JsonObject { ["reference"] = "Patient/fx-posible-ic" };
                        return entry;
                    })
                    .ToArray()
            ),
        };
        using var client = factory.CreateCdsClient();

        using var response = await client.PostAsync(
            new Uri("/cds-services/hf-screening", UriKind.Relative),
            new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json")
        );

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    // The tests below hold the work at a gate the test controls (a request body still arriving, an EHR that has not
    // answered) instead of giving it more work than the budget: the only way such a request ends is the budget's
    // cancellation or the client leaving, so the outcome does not depend on how fast the machine is. The Timeout
    // only guards the suite against a hang; it measures nothing.

    [Fact(Timeout = 120_000)]
    public async Task Given_a_body_still_arriving_past_the_time_budget_When_screened_Then_503_names_RequestSeconds()
    {
        using var factory = WithNoteModel(("Clinical:Limits:RequestSeconds", "0.2"));
        using var client = factory.CreateFhirClient();
        using var body = new HeldBody(NotesBundle(1));

        using var response = await client.PostAsync(new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative), body);

        Assert.True(body.Started.Task.IsCompleted);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.Contains("Retry-After"));
        Assert.Contains(
            "(Clinical:Limits:RequestSeconds)",
            await response.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
        Assert.Equal(0, factory.InScope(db => db.Screenings.Count()));
    }

    [Fact(Timeout = 120_000)]
    public async Task Given_an_EHR_fetch_held_past_the_time_budget_When_the_hook_fires_Then_503_and_the_fetch_stops()
    {
        using var ehr = new HeldEhr();
        using var factory = WithHeldEhr(ehr, ("Clinical:Limits:RequestSeconds", "0.2"));
        using var client = factory.CreateCdsClient();

        using var response = await client.PostAsync(
            new Uri("/cds-services/hf-screening", UriKind.Relative),
            HookNeedingThePatient()
        );

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(
            "(Clinical:Limits:RequestSeconds)",
            await response.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
        await ehr.Cancelled.Task;
        Assert.Equal("failure", factory.InScope(db => db.AuditRecords.Single(a => a.Action == "cds-hook").Outcome));
        Assert.Equal(0, factory.InScope(db => db.Screenings.Count() + db.IssuedCards.Count()));
    }

    [Fact(Timeout = 120_000)]
    public async Task Given_a_client_that_disconnects_When_the_hook_waits_on_the_EHR_Then_the_work_stops_audited()
    {
        using var ehr = new HeldEhr();
        using var factory = WithHeldEhr(ehr);
        using var client = factory.CreateCdsClient();
        using var disconnect = new CancellationTokenSource();

        var call = client.PostAsync(
            new Uri("/cds-services/hf-screening", UriKind.Relative),
            HookNeedingThePatient(),
            disconnect.Token
        );
        await ehr.Called.Task;
        await disconnect.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await ehr.Cancelled.Task;
        while (!factory.InScope(db => db.AuditRecords.Any(a => a.Action == "cds-hook")))
            await Task.Delay(20);
        Assert.Equal("failure", factory.InScope(db => db.AuditRecords.Single(a => a.Action == "cds-hook").Outcome));
        Assert.Equal(0, factory.InScope(db => db.Screenings.Count() + db.IssuedCards.Count()));
    }

    [Fact(Timeout = 120_000)]
    public async Task Given_large_bodies_beyond_the_permits_and_queue_When_posted_Then_503_with_Retry_After()
    {
        using var factory = WithNoteModel(
            ("Clinical:Limits:LargeBodyBytes", "4096"),
            ("Clinical:Limits:MaxConcurrentLargeBodies", "1")
        );
        using var client = factory.CreateFhirClient();
        var gate = factory.Services.GetRequiredKeyedService<ConcurrencyLimiter>(RequestBudgets.LargeBodyGate);
        using var stop = new CancellationTokenSource();
        var large = NotesBundle(20);
        using var first = new HeldBody(large);
        using var second = new HeldBody(large);
        var running = client.PostAsync(new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative), first, stop.Token);
        await Until(() => gate.GetStatistics()!.CurrentAvailablePermits == 0);
        var queued = client.PostAsync(new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative), second, stop.Token);
        await Until(() => gate.GetStatistics()!.CurrentQueuedCount == 1);

        using var refused = await client.PostAsync(new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative), Fhir(large));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Contains(
            "(Clinical:Limits:MaxConcurrentLargeBodies)",
            await refused.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
    }

    /// <summary>Polls a condition the host reaches by itself (the test's Timeout bounds the wait).</summary>
    private static async Task Until(Func<bool> condition)
    {
        while (!condition())
            await Task.Delay(20);
    }

    private const string Ehr = "https://ehr.example.org/fhir";

    /// <summary>The hook without the Patient in prefetch, so it must fetch it from the EHR (which holds).</summary>
    private static StringContent HookNeedingThePatient()
    {
        var request = JsonNode.Parse(FixtureFiles.PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure))!;
        request["prefetch"]!.AsObject().Remove("patient");
        request["fhirServer"] = Ehr;
        request["fhirAuthorization"] = JsonNode.Parse(
            """{"access_token":"t","token_type":"Bearer","expires_in":300,"scope":"user/Patient.read","subject":"s"}"""
        );
        return new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
    }

    /// <summary>The host with the EHR's FHIR server held, and a fetch timeout far past anything a test waits.</summary>
    private static ClinicalApiFactory WithHeldEhr(HeldEhr ehr, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Clinical:CdsHooks:AllowedFhirServers:0"] = Ehr,
            ["Clinical:CdsHooks:FhirServerTimeoutSeconds"] = "3600",
        };
        foreach (var (key, value) in settings)
            all[key] = value;
        return new ClinicalApiFactory
        {
            Settings = all,
            Edges = services =>
                services
                    .AddHttpClient(Clinical.Api.Features.CdsHooks.PrefetchAssembler.HttpClientName)
                    .ConfigurePrimaryHttpMessageHandler(() => ehr),
        };
    }

    /// <summary>
    /// The EHR's FHIR server at the network boundary, never answering: it says when it was called and when the
    /// service gave up the call (its cancellation token fired).
    /// </summary>
    private sealed class HeldEhr : HttpMessageHandler
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request,
            CancellationToken cancellationToken
        )
        {
            Called.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                Cancelled.TrySetResult();
            }
            throw new InvalidOperationException("unreachable: the delay ends only by cancellation");
        }
    }

    /// <summary>
    /// A request body whose first half is sent at once and whose rest never is: the host waits on it until the
    /// request ends otherwise. Its length is declared, as a client's would be. Disposing it lets its writer go.
    /// </summary>
    private sealed class HeldBody : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldBody(string json)
        {
            _bytes = Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");
        }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(_bytes.AsMemory(0, _bytes.Length / 2));
            await stream.FlushAsync();
            Started.TrySetResult();
            await _disposed.Task;
        }

        protected override void Dispose(bool disposing)
        {
            _disposed.TrySetResult();
            base.Dispose(disposing);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}
