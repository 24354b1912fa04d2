using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Clinical.Api.Features.CdsHooks;
using Clinical.Api.Tests.Features.CdsHooks;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Pipeline;

public sealed class NoPhiInLogsTests : IDisposable
{
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ClinicalApiFactory _factory;

    public NoPhiInLogsTests()
    {
        _factory = new ClinicalApiFactory
        {
            Settings = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Trace",
                ["Logging:LogLevel:Microsoft"] = "Trace",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
            },
            Edges = services => services.AddSingleton<ILoggerProvider>(_logs),
        };
    }

    public void Dispose()
    {
        _factory.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task Given_every_fixture_and_patient_endpoint_When_logged_at_trace_Then_no_name_or_note_appears()
    {
        string[] fixtures =
        [
            FixtureFiles.PossibleUndiagnosedHeartFailure,
            FixtureFiles.DiagnosedHeartFailure,
            FixtureFiles.NoSuspicion,
        ];
        using var fhir = _factory.CreateFhirClient("system/RiskAssessment.crs system/Flag.rs", ["admin"]);
        using var cds = _factory.CreateCdsClient();
        foreach (var fixture in fixtures)
        {
            using var screened = await fhir.PostAsync(
                new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative),
                Fhir(FixtureFiles.Bundle(fixture))
            );
            Assert.True(screened.IsSuccessStatusCode);
            using var hook = await cds.PostAsync(
                new Uri("/cds-services/hf-screening", UriKind.Relative),
                new StringContent(FixtureFiles.PatientView(fixture), Encoding.UTF8, "application/json")
            );
            Assert.True(hook.IsSuccessStatusCode);
            var cards = JsonNode.Parse(await hook.Content.ReadAsStringAsync())!["cards"]!.AsArray();
            if (cards.Count > 0)
            {
                var feedback = $$"""
                    {"feedback":[{"card":"{{cards[0]!["uuid"]}}","outcome":"overridden",
                    "overrideReason":{"userComment":"Comentario con PHI"},"outcomeTimestamp":"2026-06-30T10:05:00Z"}]}
                    """;
                using var sent = await cds.PostAsync(
                    new Uri("/cds-services/hf-screening/feedback", UriKind.Relative),
                    new StringContent(feedback, Encoding.UTF8, "application/json")
                );
                Assert.True(sent.IsSuccessStatusCode);
            }
        }
        using var broken = await fhir.PostAsync(
            new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative),
            Fhir(FixtureFiles.Read("invalid", "bundle-bad-entry.json"))
        );
        foreach (
            var query in new[]
            {
                "/fhir/RiskAssessment?subject=Patient/fx-posible-ic",
                "/fhir/Flag?subject=Patient/fx-posible-ic",
                "/fhir/AuditEvent",
            }
        )
            (await fhir.GetAsync(new Uri(query, UriKind.Relative))).Dispose();

        var log = _logs.Text();
        Assert.Contains("ScreenBundle handled", log, StringComparison.Ordinal);
        var secrets = Secrets(fixtures).ToList();
        // Each fixture gives a family and a given name, so more than two per fixture means note sentences too.
        Assert.Contains("Ficticio Dos", secrets);
        Assert.True(secrets.Count > 2 * fixtures.Length, $"only {secrets.Count} names and sentences to look for");
        foreach (var secret in secrets)
            Assert.DoesNotContain(secret, log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Comentario con PHI", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_dashboard_pages_and_actions_When_logged_at_trace_Then_no_name_note_or_comment_appears()
    {
        string[] fixtures = [FixtureFiles.PossibleUndiagnosedHeartFailure, FixtureFiles.CatalanSuspicion];
        using var fhir = _factory.CreateFhirClient();
        foreach (var fixture in fixtures)
            (
                await fhir.PostAsync(
                    new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative),
                    Fhir(FixtureFiles.Bundle(fixture))
                )
            ).Dispose();
        var flags = _factory.InScope(db => db.Screenings.Where(s => s.FlagId != null).Select(s => s.FlagId!).ToList());
        using var browser = _factory.CreateClient(Features.Dashboard.SignIn.DashboardSecurityTests.Options());
        async Task<string> Get(string url)
        {
            using var response = await browser.GetAsync(new Uri(url, UriKind.Relative));
            Assert.True(
                response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect,
                $"{url}: {response.StatusCode}"
            );
            return await response.Content.ReadAsStringAsync();
        }
        async Task Post(string url, string page, params (string, string)[] fields)
        {
            using var response = await browser.PostAsync(
                new Uri(url, UriKind.Relative),
                Features.Dashboard.SignIn.DashboardSecurityTests.Form(page, fields)
            );
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        await Post(
            "/dashboard/sign-in?handler=development",
            await Get("/dashboard/sign-in"),
            ("clinician", "Practitioner/medico-1")
        );
        var worklist = await Get("/dashboard/worklist");
        Assert.Contains("Anselmo", worklist, StringComparison.Ordinal);
        foreach (var flag in flags)
        {
            var review = await Get($"/dashboard/flags/{flag}");
            await Get($"/dashboard/flags/{flag}?handler=plot");
            await Post($"/dashboard/flags/{flag}?handler=note", review, ("note", "Comentario con PHI en la nota"));
            await Post(
                $"/dashboard/flags/{flag}?handler=dismiss",
                review,
                ("version", "0"),
                ("reason", "patient-declined"),
                ("comment", "Comentario con PHI al descartar")
            );
        }
        await Get($"/dashboard/patients/fx-posible-ic");

        var log = _logs.Text();
        Assert.Contains("LoadWorklist handled", log, StringComparison.Ordinal);
        Assert.Contains("AddReviewNote handled", log, StringComparison.Ordinal);
        Assert.Contains("CloseFlag handled", log, StringComparison.Ordinal);
        var secrets = Secrets(fixtures).ToList();
        Assert.Contains("Anselmo", secrets);
        foreach (var secret in secrets)
            Assert.DoesNotContain(secret, log, StringComparison.OrdinalIgnoreCase);
        var leak = log.IndexOf("Comentario con PHI", StringComparison.Ordinal);
        Assert.True(leak < 0, leak < 0 ? "" : log[Math.Max(0, leak - 700)..Math.Min(log.Length, leak + 100)]);
    }

    [Fact]
    public async Task Given_a_failure_quoting_the_patient_When_it_answers_500_Then_the_log_has_its_stack_but_no_PHI()
    {
        var fixture = FixtureFiles.PossibleUndiagnosedHeartFailure;
        var request = JsonNode.Parse(FixtureFiles.PatientView(fixture))!.AsObject();
        var patient = request["prefetch"]!["patient"]!.ToJsonString();
        request["prefetch"]!.AsObject().Remove("patient");
        request["fhirAuthorization"] = JsonNode.Parse(
            """{"access_token":"t","token_type":"Bearer","expires_in":300,"scope":"user/Patient.read","subject":"s"}"""
        );
        using var factory = new ClinicalApiFactory
        {
            Settings = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Trace",
                ["Clinical:CdsHooks:AllowedFhirServers:0"] = (string?)request["fhirServer"],
            },
            Edges = services =>
            {
                services.AddSingleton<ILoggerProvider>(_logs);
                services
                    .AddHttpClient(PrefetchAssembler.HttpClientName)
                    .ConfigurePrimaryHttpMessageHandler(() => new UnreadableEhr(patient));
            },
        };
        using var cds = factory.CreateCdsClient();

        using var response = await cds.PostAsync(
            new Uri("/cds-services/hf-screening", UriKind.Relative),
            new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json")
        );

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var log = _logs.Text();
        Assert.Contains(
            "Unexpected System.InvalidOperationException while handling request",
            log,
            StringComparison.Ordinal
        );
        Assert.Contains($"at {typeof(UnreadableEhr).FullName}", log, StringComparison.Ordinal);
        Assert.Contains("at Clinical.Api.Features.CdsHooks.PrefetchAssembler", log, StringComparison.Ordinal);
        Assert.DoesNotContain(UnreadableEhr.Complaint, log, StringComparison.Ordinal);
        var secrets = Secrets([fixture]).ToList();
        Assert.NotEmpty(secrets);
        foreach (var secret in secrets)
            Assert.DoesNotContain(secret, log, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Given_searches_by_subject_a_flag_close_and_an_EHR_fetch_When_logged_at_trace_Then_no_patient_id()
    {
        var request = JsonNode.Parse(FixtureFiles.PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure))!;
        var patient = request["prefetch"]!["patient"]!.ToJsonString();
        request["prefetch"]!.AsObject().Remove("patient");
        request["fhirAuthorization"] = JsonNode.Parse(
            """{"access_token":"t","token_type":"Bearer","scope":"user/Patient.read","subject":"s"}"""
        );
        var ehr = new StubFhirServer();
        ehr.Answers["/Patient/fx-posible-ic"] = patient;
        using var factory = new ClinicalApiFactory
        {
            Settings = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Trace",
                ["Logging:LogLevel:Microsoft"] = "Trace",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
                ["Logging:LogLevel:System.Net.Http"] = "Trace",
                ["Clinical:CdsHooks:AllowedFhirServers:0"] = (string?)request["fhirServer"],
            },
            Edges = services =>
            {
                services.AddSingleton<ILoggerProvider>(_logs);
                services.AddHttpClient(PrefetchAssembler.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => ehr);
            },
        };
        using var cds = factory.CreateCdsClient();
        using var fhir = factory.CreateFhirClient("system/RiskAssessment.crs system/Flag.rus", ["admin", "clinician"]);

        using var hook = await cds.PostAsync(
            new Uri("/cds-services/hf-screening", UriKind.Relative),
            new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json")
        );
        Assert.True(hook.IsSuccessStatusCode);
        Assert.NotEmpty(ehr.Calls);
        foreach (var query in (string[])["/fhir/RiskAssessment?subject=Patient/fx-posible-ic", "/fhir/AuditEvent"])
            (await fhir.GetAsync(new Uri(query, UriKind.Relative))).Dispose();
        var flags = FhirJson.Deserialize<Bundle>(
            await fhir.GetStringAsync(new Uri("/fhir/Flag?patient=fx-posible-ic", UriKind.Relative))
        );
        using var closed = await fhir.PostAsync(
            new Uri($"/fhir/Flag/{flags.Entry[0].Resource!.Id}/$close", UriKind.Relative),
            Fhir("""{"resourceType":"Parameters"}""")
        );
        Assert.True(closed.IsSuccessStatusCode);

        var log = _logs.Text();
        Assert.DoesNotContain("fx-posible-ic", log, StringComparison.Ordinal);
        Assert.Contains("HTTP GET /fhir/RiskAssessment answered 200", log, StringComparison.Ordinal);
    }

    private static StringContent Fhir(string json) =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/fhir+json"));

    /// <summary>Names of the fixture patients and every sentence of their notes.</summary>
    private static IEnumerable<string> Secrets(IEnumerable<string> fixtures)
    {
        foreach (var fixture in fixtures)
        {
            var bundle = FhirJson.Deserialize<Bundle>(FixtureFiles.Bundle(fixture));
            foreach (var resource in bundle.Entry.Select(e => e.Resource))
            {
                if (resource is Patient patient)
                {
                    foreach (var name in patient.Name)
                    {
                        if (name.Family is { Length: > 2 } family)
                            yield return family;
                        foreach (var given in name.Given.OfType<string>().Where(g => g.Length > 2))
                            yield return given;
                    }
                }
                if (resource is DocumentReference document)
                {
                    foreach (var data in document.Content.Select(c => c.Attachment?.Data).OfType<byte[]>())
                    {
                        var text = Encoding.UTF8.GetString(data);
                        Assert.True(text.Length > 20);
                        foreach (
                            var sentence in text.Split(['.', '\n'], StringSplitOptions.TrimEntries)
                                .Where(s => s.Length >= 12)
                        )
                            yield return sentence;
                    }
                }
            }
        }
    }
}

/// <summary>Every log line of the host, formatted, with exceptions and scopes' state.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public string Text() => string.Join('\n', _lines);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"scope {category}: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter
        ) => lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>
/// The EHR's FHIR server at the network boundary, failing as a broken client library might: its answer cannot be
/// read, and the exception quotes the answer (the Patient resource, with the patient's name).
/// </summary>
public sealed class UnreadableEhr(string patient) : HttpMessageHandler
{
    public const string Complaint = "The EHR's answer could not be read";

    protected override Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        CancellationToken cancellationToken
    ) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new Unreadable(patient) });

    private sealed class Unreadable(string patient) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            throw new InvalidOperationException($"{Complaint}: {patient}");

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
