using System.Diagnostics;
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

    [Fact]
    public async Task Given_work_longer_than_the_time_budget_When_screened_Then_503_names_RequestSeconds_and_stops()
    {
        using var factory = WithNoteModel(
            ("Clinical:Limits:MaxNotes", "5000"),
            ("Clinical:Limits:RequestSeconds", "1")
        );
        using var client = factory.CreateFhirClient();
        var body = Fhir(NotesBundle(2000));
        var started = Stopwatch.StartNew();

        using var response = await client.PostAsync(new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(
            "(Clinical:Limits:RequestSeconds)",
            await response.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
        // Scoring 2,000 notes takes tens of seconds here; stopping within one batch of the budget takes a few.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"answered after {started.Elapsed}");
        Assert.Equal(0, factory.InScope(db => db.Screenings.Count()));
    }

    [Fact]
    public async Task Given_a_client_that_disconnects_When_screening_Then_the_work_stops_and_is_audited_as_failed()
    {
        // Enough notes that scoring outlasts the disconnect even on an idle machine (2,000 took under 2 s here).
        using var factory = WithNoteModel(
            ("Clinical:Limits:MaxNotes", "10000"),
            ("Clinical:Limits:MaxNoteCharacters", "2000000")
        );
        using var client = factory.CreateFhirClient();
        using var disconnect = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.PostAsync(
                new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative),
                Fhir(NotesBundle(8000)),
                disconnect.Token
            )
        );
        var gone = Stopwatch.StartNew();
        while (!factory.InScope(db => db.AuditRecords.Any(a => a.Action == "screen")))
        {
            Assert.True(gone.Elapsed < TimeSpan.FromSeconds(30), "the work went on after the client left");
            await Task.Delay(100);
        }

        // Scoring 2,000 notes takes tens of seconds here; the request must end within a batch or two of the disconnect.
        Assert.True(gone.Elapsed < TimeSpan.FromSeconds(15), $"stopped {gone.Elapsed} after the disconnect");
        Assert.Equal("failure", factory.InScope(db => db.AuditRecords.Single(a => a.Action == "screen").Outcome));
        Assert.Equal(0, factory.InScope(db => db.Screenings.Count()));
    }

    [Fact]
    public async Task Given_large_bodies_beyond_the_permits_and_queue_When_posted_Then_503_with_Retry_After()
    {
        using var factory = WithNoteModel(
            ("Clinical:Limits:MaxNotes", "5000"),
            ("Clinical:Limits:LargeBodyBytes", "4096"),
            ("Clinical:Limits:MaxConcurrentLargeBodies", "1")
        );
        using var client = factory.CreateFhirClient();
        var gate = factory.Services.GetRequiredKeyedService<ConcurrencyLimiter>(RequestBudgets.LargeBodyGate);
        using var stop = new CancellationTokenSource();
        var slow = NotesBundle(2000);
        var running = client.PostAsync(new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative), Fhir(slow), stop.Token);
        await Until(() => gate.GetStatistics()!.CurrentAvailablePermits == 0);
        var queued = client.PostAsync(new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative), Fhir(slow), stop.Token);
        await Until(() => gate.GetStatistics()!.CurrentQueuedCount == 1);

        using var refused = await client.PostAsync(new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative), Fhir(slow));

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

    private static async Task Until(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the condition never held");
            await Task.Delay(20);
        }
    }
}
