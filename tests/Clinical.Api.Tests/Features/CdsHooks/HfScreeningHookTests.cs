using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Clinical.Api.Features.CdsHooks;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Clinical.Api.Tests.Features.CdsHooks;

public sealed class HfScreeningHookTests : IDisposable
{
    private const string Ehr = "https://ehr.example.org/fhir";
    private readonly StubFhirServer _ehr = new();
    private readonly ClinicalApiFactory _factory;

    public HfScreeningHookTests()
    {
        _factory = new ClinicalApiFactory
        {
            Settings = new Dictionary<string, string?>
            {
                ["Clinical:CdsHooks:AllowedFhirServers:0"] = Ehr,
                ["Clinical:CdsHooks:FhirServerTimeoutSeconds"] = "0.5",
                ["Clinical:CdsHooks:DashboardUrl"] = "https://dashboard.example.org/launch",
            },
            Edges = services =>
                services.AddHttpClient(PrefetchAssembler.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _ehr),
        };
    }

    public void Dispose()
    {
        _factory.Dispose();
        _ehr.Dispose();
    }

    private async Task<HttpResponseMessage> Call(string json, string path = "/cds-services/hf-screening")
    {
        using var client = _factory.CreateCdsClient();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    private static JsonObject PatientView(string fixture) =>
        JsonNode.Parse(FixtureFiles.PatientView(fixture))!.AsObject();

    [Fact]
    public async Task Given_a_discovery_call_Then_hf_screening_is_listed_with_its_prefetch_templates()
    {
        using var client = _factory.CreateCdsClient();
        var discovery = JsonNode.Parse(await client.GetStringAsync(new Uri("/cds-services", UriKind.Relative)))!;

        var service = Assert.Single(discovery["services"]!.AsArray())!;
        Assert.Equal("hf-screening", (string?)service["id"]);
        Assert.Equal("patient-view", (string?)service["hook"]);
        Assert.Equal("Patient/{{context.patientId}}", (string?)service["prefetch"]!["patient"]);
        Assert.Contains(
            "http://loinc.org|33762-6,http://loinc.org|71425-3,http://loinc.org|30934-4",
            (string?)service["prefetch"]!["natriureticPeptides"],
            StringComparison.Ordinal
        );
        Assert.Contains("10230-1", (string?)service["prefetch"]!["lvef"], StringComparison.Ordinal);
        Assert.NotNull(service["prefetch"]!["medicationStatements"]);
        Assert.NotNull(service["prefetch"]!["medicationRequests"]);
        Assert.NotNull(service["prefetch"]!["documents"]);
    }

    [Fact]
    public async Task Given_possible_HF_When_the_hook_fires_Then_one_warning_card_with_evidence_echo_and_smart_link()
    {
        using var response = await Call(FixtureFiles.PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("null", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"\"", text, StringComparison.Ordinal);
        var card = Assert.Single(JsonNode.Parse(text)!["cards"]!.AsArray())!;
        Assert.Equal("warning", (string?)card["indicator"]);
        Assert.True(Guid.TryParse((string?)card["uuid"], out _));
        Assert.True(((string?)card["summary"])!.Length < 140);
        Assert.StartsWith("Posible insuficiencia cardiaca", (string?)card["summary"], StringComparison.Ordinal);
        Assert.Contains("hf-risk-engine 1.0.0", (string?)card["source"]!["label"], StringComparison.Ordinal);
        Assert.Contains("Observation/fx-posible-ntprobnp", (string?)card["detail"], StringComparison.Ordinal);
        Assert.Matches(@"\n1\. NT-proBNP [^\n]+ — Observation/fx-posible-ntprobnp\n", (string?)card["detail"]);
        var link = Assert.Single(card["links"]!.AsArray())!;
        Assert.Equal("smart", (string?)link["type"]);
        Assert.Equal("https://dashboard.example.org/launch", (string?)link["url"]);
        Assert.Contains("fx-posible-ic", (string?)link["appContext"], StringComparison.Ordinal);
        var order = Assert.Single(Assert.Single(card["suggestions"]!.AsArray())!["actions"]!.AsArray())!["resource"]!;
        Assert.Equal("ServiceRequest", (string?)order["resourceType"]);
        Assert.Equal("40701008", (string?)order["code"]!["coding"]![0]!["code"]);
        Assert.Equal("Patient/fx-posible-ic", (string?)order["subject"]!["reference"]);
        // R4 ServiceRequest.reasonReference does not allow RiskAssessment; supportingInfo does (issue 16, item 8).
        Assert.Null(order["reasonReference"]);
        // The RiskAssessment lives here, not in the EHR that creates the order: absolute on the public base URL.
        var support = (string?)order["supportingInfo"]![0]!["reference"];
        Assert.StartsWith("http://localhost/fhir/RiskAssessment/", support, StringComparison.Ordinal);
        FhirValidation.AssertValid(FhirJson.Deserialize<Hl7.Fhir.Model.ServiceRequest>(order.ToJsonString()));
        // The prefetch came from fhirServer: the stored RiskAssessment's basis points there, not at this service.
        var stored = _factory.InScope(db =>
            db.Screenings.Where(s => s.PatientReference == "Patient/fx-posible-ic")
                .Select(s => s.RiskAssessmentJson)
                .ToList()
        );
        Assert.Contains(
            stored,
            json => json.Contains($"\"{Ehr}/Observation/fx-posible-ntprobnp\"", StringComparison.Ordinal)
        );
        Assert.NotEmpty(card["overrideReasons"]!.AsArray());
    }

    [Fact]
    public async Task Given_possible_HF_When_the_card_is_read_Then_the_level_is_a_word_and_the_probability_a_percent()
    {
        using var response = await Call(FixtureFiles.PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure));

        var card = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["cards"]!.AsArray())!;
        var detail = (string)card["detail"]!;
        Assert.Matches(@"Riesgo estimado: \*\*(moderado|alto)\*\* \(\d+ %\), a fecha 30/06/2026\.", detail);
        Assert.DoesNotMatch(@"\b(negligible|low|moderate|high|certain)\b", detail);
        Assert.DoesNotMatch(
            @"(?<![\d.])\d+\.\d{1,2}(?![\d.])",
            detail.Replace("hf-risk-engine 1.0.0", "", StringComparison.Ordinal)
        );
        Assert.Contains(
            card["overrideReasons"]!.AsArray(),
            r => (string?)r!["display"] == "Otra causa explica los hallazgos"
        );
    }

    [Fact]
    public async Task Given_a_patient_who_has_died_When_the_hook_fires_Then_no_card()
    {
        var request = PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure);
        request["prefetch"]!["patient"]!["deceasedDateTime"] = "2026-01-15";

        using var response = await Call(request.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"cards":[]}""", await response.Content.ReadAsStringAsync());
        Assert.Empty(
            _factory.InScope(db => db.Screenings.Where(s => s.PatientReference == "Patient/fx-posible-ic").ToList())
        );
    }

    [Fact]
    public async Task Given_the_possible_HF_patient_When_the_card_is_built_Then_each_piece_of_evidence_is_listed_once()
    {
        using var response = await Call(FixtureFiles.PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure));

        var card = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["cards"]!.AsArray())!;
        var detail = (string)card["detail"]!;
        var note = _factory.InScope(db =>
            FhirJson
                .Deserialize<Hl7.Fhir.Model.RiskAssessment>(
                    db.Screenings.Single(s => s.PatientReference == "Patient/fx-posible-ic").RiskAssessmentJson
                )
                .Note[0]
                .Text!
        );
        // The evidence block as the stored RiskAssessment's note renders it: the card shows that same block, once.
        var evidence = note[note.IndexOf("Evidencia:", StringComparison.Ordinal)..].Split('\n')[1..];
        Assert.True(evidence.Length >= 2, note);
        Assert.Equal(1, Occurrences(detail, "Evidencia:"));
        Assert.All(evidence, line => Assert.Equal(1, Occurrences(detail, line)));
        Assert.Equal(evidence.Length, detail.Split('\n').Count(l => Regex.IsMatch(l, @"^(\d+\. |… y \d+ más)")));
    }

    private static int Occurrences(string text, string part) =>
        Regex.Count(text, Regex.Escape(part), RegexOptions.None, TimeSpan.FromSeconds(1));

    [Fact]
    public async Task Given_patients_with_known_HF_and_LVEF_or_no_suspicion_When_the_hook_fires_Then_no_cards()
    {
        foreach (var fixture in new[] { FixtureFiles.DiagnosedHeartFailure, FixtureFiles.NoSuspicion })
        {
            using var response = await Call(FixtureFiles.PatientView(fixture));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("""{"cards":[]}""", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Given_known_HF_without_LVEF_When_the_hook_fires_Then_an_info_card_suggests_echocardiography()
    {
        var request = PatientView(FixtureFiles.DiagnosedHeartFailure);
        request["prefetch"]!["lvef"] = null;
        var observations = JsonNode.Parse(FixtureFiles.PatientView(FixtureFiles.DiagnosedHeartFailure))!["prefetch"]![
            "lvef"
        ];
        Assert.NotNull(observations);

        using var response = await Call(request.ToJsonString());

        var card = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["cards"]!.AsArray())!;
        Assert.Equal("info", (string?)card["indicator"]);
        Assert.Contains("FEVI", (string?)card["summary"], StringComparison.Ordinal);
    }

    [SharedSamplesTheory]
    [InlineData("cdshooks-request-patient-view-bad.json", "context.patientId must be the Patient's id")]
    [InlineData("cdshooks-request-order-sign-good.json", "hook 'order-sign' is not served here")]
    [InlineData("cdshooks-request-order-select-bad.json", "prefetch 'item1' is not a FHIR resource")]
    public async Task Given_an_invalid_shared_sample_When_posted_Then_400_says_what_is_wrong(
        string sample,
        string message
    )
    {
        using var response = await Call(FixtureFiles.SharedCdsSample(sample));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [SharedSamplesFact]
    public async Task Given_the_good_sample_and_an_unknown_server_When_posted_Then_it_is_screened_from_prefetch_alone()
    {
        using var response = await Call(FixtureFiles.SharedCdsSample("cdshooks-request-pv-good.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"cards":[]}""", await response.Content.ReadAsStringAsync());
        Assert.Empty(_ehr.Calls);
    }

    [Fact]
    public async Task Given_a_bad_hook_instance_and_no_user_When_posted_Then_400_names_both()
    {
        var request = PatientView(FixtureFiles.NoSuspicion);
        request["hookInstance"] = "not-a-uuid";
        request["context"]!.AsObject().Remove("userId");

        using var response = await Call(request.ToJsonString());

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("hookInstance must be a UUID", text, StringComparison.Ordinal);
        Assert.Contains("context.userId is required", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_no_patient_in_prefetch_and_no_fhir_server_When_posted_Then_412()
    {
        var request = PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure);
        request["prefetch"]!.AsObject().Remove("patient");
        request.Remove("fhirServer");

        using var response = await Call(request.ToJsonString());

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Contains("could not be obtained", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var audit = Assert.Single(_factory.InScope(db => db.AuditRecords.Where(a => a.Action == "cds-hook").ToList()));
        Assert.Equal(("failure", "Patient/fx-posible-ic"), (audit.Outcome, audit.PatientReferences));
        Assert.Equal($"ehr-client@{TestIdentityProvider.Issuer} (user Practitioner/fx-medica-familia)", audit.Actor);
    }

    [Fact]
    public async Task Given_missing_patient_and_failed_peptide_prefetch_When_EHR_is_allowed_Then_both_are_fetched()
    {
        var request = PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure);
        var prefetch = request["prefetch"]!.AsObject();
        _ehr.Answers["/Patient/fx-posible-ic"] = prefetch["patient"]!.ToJsonString();
        _ehr.Answers["|30934-4"] = prefetch["natriureticPeptides"]!.ToJsonString();
        prefetch.Remove("patient");
        prefetch["natriureticPeptides"] = JsonNode.Parse(
            """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"timeout"}]}"""
        );
        request["fhirAuthorization"] = JsonNode.Parse(
            """{"access_token":"ehr-token-123","token_type":"Bearer","expires_in":"""
                + """300,"scope":"user/Patient.read","subject":"hf-screening"}"""
        );

        using var response = await Call(request.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["cards"]!.AsArray())!;
        Assert.Equal("warning", (string?)card["indicator"]);
        Assert.Equal(2, _ehr.Calls.Count);
        Assert.All(_ehr.Calls, c => Assert.Equal("Bearer ehr-token-123", c.Authorization));
        Assert.Contains(_ehr.Calls, c => c.PathAndQuery == "/fhir/Patient/fx-posible-ic");
    }

    // An EHR that never answers: the 412 can only come from the service's own fetch timeout (the Timeout only guards
    // the suite against a hang; it measures nothing).
    [Fact(Timeout = 300_000)]
    public async Task Given_an_EHR_server_that_never_answers_When_the_patient_must_be_fetched_Then_412()
    {
        var request = PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure);
        _ehr.Answers["/Patient/fx-posible-ic"] = request["prefetch"]!["patient"]!.ToJsonString();
        _ehr.Delay = TimeSpan.FromDays(1);
        request["prefetch"]!.AsObject().Remove("patient");
        request["fhirAuthorization"] = JsonNode.Parse(
            """{"access_token":"t","token_type":"Bearer","expires_in":300,"scope":"user/Patient.read","subject":"s"}"""
        );

        using var response = await Call(request.ToJsonString());

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
    }

    [Fact]
    public async Task Given_the_same_input_twice_When_the_hook_fires_Then_the_second_is_cached_with_new_card_uuids()
    {
        var json = FixtureFiles.PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure);
        using var first = await Call(json);
        using var second = await Call(json);

        var a = Assert.Single(JsonNode.Parse(await first.Content.ReadAsStringAsync())!["cards"]!.AsArray())!;
        var b = Assert.Single(JsonNode.Parse(await second.Content.ReadAsStringAsync())!["cards"]!.AsArray())!;
        Assert.Equal((string?)a["summary"], (string?)b["summary"]);
        Assert.NotEqual((string?)a["uuid"], (string?)b["uuid"]);
        Assert.Equal(
            1,
            _factory.InScope(db => db.Screenings.Count(s => s.PatientReference == "Patient/fx-posible-ic"))
        );
        Assert.Equal(
            2,
            _factory.InScope(db =>
                db.AuditRecords.Count(r => r.Action == "cds-hook" && r.PatientReferences == "Patient/fx-posible-ic")
            )
        );
    }

    [Fact]
    public async Task Given_an_issued_card_When_feedback_overrides_it_with_a_reason_Then_the_outcome_is_stored()
    {
        using var hook = await Call(FixtureFiles.PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure));
        var uuid = (string?)JsonNode.Parse(await hook.Content.ReadAsStringAsync())!["cards"]![0]!["uuid"];
        var feedback = $$"""
            {"feedback":[{"card":"{{uuid}}","outcome":"overridden",
              "overrideReason":{"reason":{"code":"already-evaluated","system":"{{HfCards.OverrideReasonSystem}}"},
              "userComment":"Ya tiene eco pedida"},"outcomeTimestamp":"2026-06-30T10:05:00Z"}]}
            """;

        using var response = await Call(feedback, "/cds-services/hf-screening/feedback");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(_factory.InScope(db => db.CardFeedback.ToList()));
        Assert.Equal("overridden", stored.Outcome);
        Assert.Equal("already-evaluated", stored.OverrideReasonCode);
        Assert.Equal("Patient/fx-posible-ic", stored.PatientReference);
        Assert.True(
            _factory.InScope(db =>
                db.AuditRecords.Any(r => r.Action == "cds-feedback" && r.PatientReferences == "Patient/fx-posible-ic")
            )
        );
    }

    [Fact]
    public async Task Given_feedback_for_an_unknown_card_When_posted_Then_404()
    {
        using var response = await Call(
            $$"""{"feedback":[{"card":"{{Guid.NewGuid()}}","outcome":"accepted","acceptedSuggestions":["""
                + """{"id":"x"}],"outcomeTimestamp":"2026-06-30T10:05:00Z"}]}""",
            "/cds-services/hf-screening/feedback"
        );

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Given_a_prefetch_with_another_patient_When_the_hook_fires_Then_only_the_context_one_is_screened()
    {
        var request = PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure);
        request["prefetch"]!["stranger"] = JsonNode.Parse(
            """{"resourceType":"Patient","id":"someone-else","birthDate":"1950-01-01"}"""
        );

        using var response = await Call(request.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(_factory.InScope(db => db.Screenings.Any(s => s.PatientReference == "Patient/someone-else")));
    }

    [Fact]
    public async Task Given_malformed_json_When_posted_Then_400()
    {
        using var response = await Call("{\"hook\": ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Given_a_lone_surrogate_in_the_prefetch_patient_When_the_hook_fires_Then_400_not_500()
    {
        var json = FixtureFiles
            .PatientView(FixtureFiles.NoSuspicion)
            .Replace("\"Ficticia Tres\"", "\"Ficticio \\ud800 Dos\"", StringComparison.Ordinal);
        Assert.Contains("\\ud800", json, StringComparison.Ordinal);

        using var response = await Call(json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("lone UTF-16 surrogate", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_searchset_patient_born_0000_00_00_When_the_hook_fires_Then_4xx_saying_why_not_500()
    {
        var request = PatientView(FixtureFiles.NoSuspicion);
        var patient = request["prefetch"]!["patient"]!.DeepClone().AsObject();
        patient["birthDate"] = "0000-00-00";
        request["prefetch"]!["patient"] = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["entry"] = new JsonArray(new JsonObject { ["resource"] = patient }),
        };

        using var response = await Call(request.ToJsonString());

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"status {(int)response.StatusCode}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("could not be read from the prefetch", text, StringComparison.Ordinal);
        Assert.Contains("birthDate", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_another_patient_with_the_context_id_in_a_second_piece_When_fired_Then_400_names_both()
    {
        var request = PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure);
        var other = request["prefetch"]!["patient"]!.DeepClone();
        other["birthDate"] = "1990-02-02";
        request["prefetch"]!["natriureticPeptides"]!["entry"]!.AsArray().Add(new JsonObject { ["resource"] = other });

        using var response = await Call(request.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains(
            "Patient/fx-posible-ic appears twice with different content (prefetch.patient Patient and "
                + "prefetch.natriureticPeptides Bundle.entry[1]): two patients with one id cannot be told apart",
            text,
            StringComparison.Ordinal
        );
        Assert.Contains("nobody was screened", text, StringComparison.Ordinal);
        Assert.Equal(0, _factory.InScope(db => db.Screenings.Count() + db.IssuedCards.Count()));
    }

    [Fact]
    public async Task Given_the_same_peptide_and_note_in_two_pieces_When_fired_Then_the_card_is_as_with_one_copy()
    {
        var once = PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure);
        var twice = once.DeepClone().AsObject();
        var prefetch = twice["prefetch"]!;
        prefetch["lvef"] = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["entry"] = new JsonArray(
                prefetch["natriureticPeptides"]!["entry"]![0]!.DeepClone(),
                prefetch["documents"]!["entry"]![0]!.DeepClone(),
                new JsonObject { ["resource"] = prefetch["patient"]!.DeepClone() }
            ),
        };

        using var single = await Call(once.ToJsonString());
        using var repeated = await Call(twice.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        var expected = JsonNode.Parse(await single.Content.ReadAsStringAsync())!["cards"]![0]!;
        var actual = JsonNode.Parse(await repeated.Content.ReadAsStringAsync())!["cards"]![0]!;
        Assert.Equal((string?)expected["summary"], (string?)actual["summary"]);
        Assert.Equal((string?)expected["detail"], (string?)actual["detail"]);
        var risks = _factory.InScope(db => db.Screenings.Select(s => s.Probability).ToList());
        Assert.Equal(2, risks.Count);
        Assert.Equal(risks[0], risks[1]);
    }
}
