using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Clinical.Api.Cli;
using Clinical.Api.Hosting;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Xunit.Abstractions;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Features;

/// <summary>
/// Issue 16, item 8: every resource the main output paths emit (the screen CLI's Bundle, Bundle/$hf-screen,
/// Patient/$hf-screen with their summaries, Flag search and $close, metadata) validates against the base R4 profiles
/// with Firely's validator. The hook's created ServiceRequest is validated in HfScreeningHookTests.
/// </summary>
public sealed class EmittedResourcesValidationTests(ClinicalApiFactory factory, ITestOutputHelper output)
    : IClassFixture<ClinicalApiFactory>,
        IDisposable
{
    private const string AllScopes = "system/RiskAssessment.crs system/Flag.rus";
    private readonly string _work = Directory.CreateTempSubdirectory("validate-").FullName;

    public void Dispose()
    {
        output.WriteLine($"Resources validated in this run so far: {FhirValidation.Validated}");
        Directory.Delete(_work, recursive: true);
    }

    public static TheoryData<string, string> Fixtures =>
        new()
        {
            { "bundles", FixtureFiles.DiagnosedHeartFailure },
            { "bundles", FixtureFiles.PossibleUndiagnosedHeartFailure },
            { "bundles", FixtureFiles.NoSuspicion },
            { "bundles", FixtureFiles.CatalanSuspicion },
            { "guideline-floor", "fevi-40-ntprobnp-369.json" },
            { "guideline-floor", "fevi-41-ntprobnp-477.json" },
            { "guideline-floor", "octogenario-ntprobnp-437-fevi-39.json" },
            { "invalid", "bundle-bad-entry.json" },
        };

    private static StringContent Fhir(string json) =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/fhir+json"));

    private async Task<string> Post(string path, string json)
    {
        using var client = factory.CreateFhirClient(AllScopes, [Roles.Clinician]);
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), Fhir(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return body;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Given_a_fixture_When_Bundle_hf_screen_answers_Then_Firely_finds_no_error(
        string folder,
        string name
    )
    {
        var bundle = FhirJson.Deserialize<Bundle>(
            await Post("/fhir/Bundle/$hf-screen?asOf=2026-06-30", FixtureFiles.Read(folder, name))
        );

        Assert.Contains(bundle.Entry, e => e.Resource is RiskAssessment);
        FhirValidation.AssertValid(bundle);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Given_a_fixture_When_Patient_hf_screen_answers_Then_Firely_finds_no_error(
        string folder,
        string name
    )
    {
        var parameters = new JsonObject
        {
            ["resourceType"] = "Parameters",
            ["parameter"] = new JsonArray(
                new JsonObject { ["name"] = "bundle", ["resource"] = JsonNode.Parse(FixtureFiles.Read(folder, name)) },
                new JsonObject { ["name"] = "asOf", ["valueDate"] = "2026-06-30" }
            ),
        };

        var bundle = FhirJson.Deserialize<Bundle>(await Post("/fhir/Patient/$hf-screen", parameters.ToJsonString()));

        FhirValidation.AssertValid(bundle);
    }

    [Fact]
    public async Task Given_a_flag_When_searched_and_closed_Then_Firely_finds_no_error_in_either_answer()
    {
        await Post(
            "/fhir/Bundle/$hf-screen?asOf=2026-06-30",
            FixtureFiles.Bundle(FixtureFiles.PossibleUndiagnosedHeartFailure)
        );
        using var client = factory.CreateFhirClient(AllScopes, [Roles.Clinician]);
        var flags = FhirJson.Deserialize<Bundle>(
            await client.GetStringAsync(
                new Uri("/fhir/Flag?subject=Patient/fx-posible-ic&status=active", UriKind.Relative)
            )
        );
        var risks = FhirJson.Deserialize<Bundle>(
            await client.GetStringAsync(new Uri("/fhir/RiskAssessment?subject=Patient/fx-posible-ic", UriKind.Relative))
        );
        var flag = Assert.IsType<Flag>(flags.Entry[0].Resource);

        var closed = FhirJson.Deserialize<Flag>(
            await Post(
                $"/fhir/Flag/{flag.Id}/$close",
                """{"resourceType":"Parameters","parameter":[{"name":"reason","valueString":"Eco normal"}]}"""
            )
        );

        Assert.Equal(Flag.FlagStatus.Inactive, closed.Status);
        FhirValidation.AssertValid(flags, risks, closed);
    }

    [Fact]
    public async Task Given_the_server_When_metadata_and_operations_are_read_Then_Firely_finds_no_error()
    {
        using var client = factory.CreateFhirClient(AllScopes);
        var statement = FhirJson.Deserialize<CapabilityStatement>(
            await client.GetStringAsync(new Uri("/fhir/metadata", UriKind.Relative))
        );
        var definitions = new List<Resource> { statement };
        foreach (var operation in statement.Rest[0].Resource.SelectMany(r => r.Operation))
        {
            var id = operation.Definition![(operation.Definition!.LastIndexOf('/') + 1)..];
            definitions.Add(
                FhirJson.Deserialize<OperationDefinition>(
                    await client.GetStringAsync(new Uri($"/fhir/OperationDefinition/{id}", UriKind.Relative))
                )
            );
        }

        FhirValidation.AssertValid([.. definitions]);
    }

    [Fact]
    public async Task Given_the_fixture_folders_When_the_CLI_screens_Then_Firely_finds_no_error_in_the_Bundle()
    {
        var bundle = await ScreenCli(FixtureFiles.PathOf("bundles"), FixtureFiles.PathOf("guideline-floor"));

        Assert.Contains(bundle.Entry, e => e.Resource is DocumentReference);
        FhirValidation.AssertValid(bundle);
    }

    [Fact]
    public async Task Given_only_invalid_input_When_the_CLI_screens_Then_its_outcome_Bundle_validates()
    {
        var bundle = await ScreenCli(FixtureFiles.PathOf("invalid", "truncated.json"));

        Assert.IsType<OperationOutcome>(Assert.Single(bundle.Entry).Resource);
        FhirValidation.AssertValid(bundle);
    }

    [Fact]
    public void Given_a_broken_entry_in_a_Bundle_When_validated_Then_Firely_reports_it()
    {
        // The helper must be able to fail: a RiskAssessment without status or subject (both 1..1) inside a Bundle.
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Collection,
            Entry =
            [
                new Bundle.EntryComponent { FullUrl = "urn:uuid:" + Guid.NewGuid(), Resource = new RiskAssessment() },
            ],
        };

        var errors = FhirValidation.Errors(bundle);

        Assert.Contains(errors, e => e.Contains("status", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("subject", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_ServiceRequest_citing_the_RiskAssessment_as_reason_When_validated_Then_the_target_is_refused()
    {
        // What the hook suggested before issue 16: Firely alone lets an unresolvable reference's type through.
        var order = new ServiceRequest
        {
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Proposal,
            Code = new CodeableConcept { Text = "Ecocardiograma" },
            Subject = new ResourceReference("Patient/p1"),
            ReasonReference = [new ResourceReference("RiskAssessment/r1")],
        };

        var error = Assert.Single(FhirValidation.Errors(order));

        Assert.Contains("reasonReference: a reference to RiskAssessment", error, StringComparison.Ordinal);
    }

    private async Task<Bundle> ScreenCli(params string[] paths)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        await ScreenVerb.RunAsync(
            paths,
            new DateOnly(2026, 6, 30),
            Path.Combine(_work, "clinical.db"),
            stdout,
            stderr,
            CancellationToken.None
        );
        return FhirJson.Deserialize<Bundle>(stdout.ToString());
    }
}
