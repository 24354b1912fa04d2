using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Clinical.Api.Hosting;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Features.Search;

public sealed class FhirOperationsTests(ClinicalApiFactory factory) : IClassFixture<ClinicalApiFactory>
{
    private const string AllScopes = "system/RiskAssessment.crs system/Flag.rus";

    private static StringContent Fhir(string json) =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/fhir+json"));

    private static string Parameters(string bundleJson, string? asOf = "2026-06-30")
    {
        var parameters = new JsonObject
        {
            ["resourceType"] = "Parameters",
            ["parameter"] = new JsonArray(
                new JsonObject { ["name"] = "bundle", ["resource"] = JsonNode.Parse(bundleJson) }
            ),
        };
        if (asOf is not null)
            parameters["parameter"]!.AsArray().Add(new JsonObject { ["name"] = "asOf", ["valueDate"] = asOf });
        return parameters.ToJsonString();
    }

    private async Task<Bundle> ScreenPatient(string fixture)
    {
        using var client = factory.CreateFhirClient(AllScopes);
        using var response = await client.PostAsync(
            new Uri("/fhir/Patient/$hf-screen", UriKind.Relative),
            Fhir(Parameters(FixtureFiles.Bundle(fixture)))
        );
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return FhirJson.Deserialize<Bundle>(await response.Content.ReadAsStringAsync());
    }

    private async Task<Bundle> Search(string query, string scope = AllScopes, string[]? roles = null)
    {
        using var client = factory.CreateFhirClient(scope, roles);
        using var response = await client.GetAsync(new Uri(query, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return FhirJson.Deserialize<Bundle>(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Given_Parameters_with_a_bundle_When_Patient_hf_screen_is_called_Then_the_Bundle_has_the_flag()
    {
        var bundle = await ScreenPatient(FixtureFiles.PossibleUndiagnosedHeartFailure);

        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<Flag>());
    }

    [Fact]
    public async Task Given_Parameters_without_a_bundle_part_When_posted_Then_400_names_the_part()
    {
        using var client = factory.CreateFhirClient(AllScopes);
        using var response = await client.PostAsync(
            new Uri("/fhir/Patient/$hf-screen", UriKind.Relative),
            Fhir("""{"resourceType":"Parameters","parameter":[{"name":"asOf","valueDate":"2026-06-30"}]}""")
        );

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no part 'bundle'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_screened_patient_When_RiskAssessment_is_searched_by_subject_Then_the_searchset_has_it()
    {
        await ScreenPatient(FixtureFiles.NoSuspicion);

        var bundle = await Search("/fhir/RiskAssessment?subject=Patient/fx-sana");

        Assert.Equal(Bundle.BundleType.Searchset, bundle.Type);
        var risk = Assert.IsType<RiskAssessment>(bundle.Entry[0].Resource);
        Assert.Equal("Patient/fx-sana", risk.Subject.Reference);
        Assert.Equal(bundle.Entry.Count, bundle.Total);
        Assert.Empty((await Search("/fhir/RiskAssessment?patient=nobody")).Entry);
    }

    [Fact]
    public async Task Given_an_active_flag_When_a_clinician_closes_it_Then_it_leaves_active_search_and_keeps_history()
    {
        await ScreenPatient(FixtureFiles.PossibleUndiagnosedHeartFailure);
        var active = await Search("/fhir/Flag?subject=Patient/fx-posible-ic&status=active");
        var flag = Assert.IsType<Flag>(active.Entry[0].Resource);

        using var clinician = factory.CreateFhirClient(AllScopes, [Roles.Clinician]);
        using var closed = await clinician.PostAsync(
            new Uri($"/fhir/Flag/{flag.Id}/$close", UriKind.Relative),
            Fhir(
                """{"resourceType":"Parameters","parameter":["""
                    + """{"name":"reason","valueString":"Ecocardiograma normal"}]}"""
            )
        );

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(
            Flag.FlagStatus.Inactive,
            FhirJson.Deserialize<Flag>(await closed.Content.ReadAsStringAsync()).Status
        );
        Assert.DoesNotContain(
            (await Search("/fhir/Flag?subject=Patient/fx-posible-ic&status=active")).Entry,
            e => e.Resource!.Id == flag.Id
        );
        Assert.Contains(
            (await Search("/fhir/Flag?subject=Patient/fx-posible-ic&status=inactive")).Entry,
            e => e.Resource!.Id == flag.Id
        );
        Assert.True(
            factory.InScope(db =>
                db.FlagStatusChanges.Any(c => c.FlagId == flag.Id && c.From == "active" && c.To == "inactive")
            )
        );
    }

    [Fact]
    public async Task Given_a_token_without_the_clinician_role_When_closing_a_flag_Then_403()
    {
        using var client = factory.CreateFhirClient(AllScopes);
        using var response = await client.PostAsync(
            new Uri("/fhir/Flag/any/$close", UriKind.Relative),
            Fhir("""{"resourceType":"Parameters"}""")
        );

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Given_a_search_without_subject_When_called_Then_400()
    {
        using var client = factory.CreateFhirClient(AllScopes);
        using var response = await client.GetAsync(new Uri("/fhir/RiskAssessment", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Given_an_xml_only_Accept_When_searching_Then_406()
    {
        using var client = factory.CreateFhirClient(AllScopes);
        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            new Uri("/fhir/Flag?subject=Patient/x", UriKind.Relative)
        );
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+xml"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task Given_the_metadata_When_read_Then_it_declares_operations_and_searches_and_serves_definitions()
    {
        using var client = factory.CreateClient();
        var statement = FhirJson.Deserialize<CapabilityStatement>(
            await client.GetStringAsync(new Uri("/fhir/metadata", UriKind.Relative))
        );

        var resources = statement.Rest[0].Resource;
        Assert.Equal("hf-screen", Assert.Single(resources.Single(r => r.Type == "Patient").Operation).Name);
        Assert.Contains(resources.Single(r => r.Type == "Flag").SearchParam, p => p.Name == "status");
        Assert.Contains(resources, r => r.Type == "RiskAssessment");
        Assert.Contains(resources, r => r.Type == "AuditEvent");
        Assert.Empty(EmittedResourceCheck.Problems(statement));
        foreach (var operation in resources.SelectMany(r => r.Operation))
        {
            var id = operation.Definition![(operation.Definition!.LastIndexOf('/') + 1)..];
            var definition = FhirJson.Deserialize<OperationDefinition>(
                await client.GetStringAsync(new Uri($"/fhir/OperationDefinition/{id}", UriKind.Relative))
            );
            Assert.Equal(operation.Definition, definition.Url);
            // Both operations store or change results: clients must not repeat them freely (issue 16, item 8).
            Assert.True(definition.AffectsState);
            Assert.Empty(EmittedResourceCheck.Problems(definition));
        }
    }

    [Fact]
    public async Task Given_screenings_When_an_admin_reads_audit_Then_events_name_action_actor_patient_and_correlation()
    {
        await ScreenPatient(FixtureFiles.DiagnosedHeartFailure);
        await Search("/fhir/RiskAssessment?subject=Patient/fx-ic-diagnosticada");

        var audit = await Search(
            "/fhir/AuditEvent?patient=Patient/fx-ic-diagnosticada",
            "system/AuditEvent.rs",
            [Roles.Admin]
        );

        var events = audit.Entry.Select(e => Assert.IsType<AuditEvent>(e.Resource)).ToList();
        Assert.Contains(events, e => e.Subtype[0].Code == "screen" && e.Outcome == AuditEvent.AuditEventOutcome.N0);
        Assert.Contains(events, e => e.Subtype[0].Code == "search-riskassessment");
        Assert.All(events, e => Assert.Equal("ehr-client@" + TestIdentityProvider.Issuer, e.Agent[0].Who!.Display));
        Assert.All(events, e => Assert.Contains(e.Entity, x => x.Detail.Any(d => d.Type == "correlation-id")));
        Assert.Empty(events.SelectMany(EmittedResourceCheck.Problems));
    }

    [Fact]
    public async Task Given_a_token_without_the_admin_role_When_reading_the_audit_Then_403()
    {
        using var client = factory.CreateFhirClient("system/*.*");
        using var response = await client.GetAsync(new Uri("/fhir/AuditEvent", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
