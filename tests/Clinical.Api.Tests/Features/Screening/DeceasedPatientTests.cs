using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Clinical.Api.Cli;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Features.Screening;

/// <summary>
/// A patient who has died (deceasedBoolean true, or deceasedDateTime on or before the as-of date) is not screened: no
/// RiskAssessment, no Flag, nothing stored, one information issue; screened as the record stood before the death.
/// </summary>
public sealed class DeceasedPatientTests(ClinicalApiFactory factory) : IClassFixture<ClinicalApiFactory>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("deceased-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary>The possible-HF fixture (flagged high when alive) with a death recorded on the Patient.</summary>
    private static string PossibleHeartFailure(string deceasedProperty, JsonNode value)
    {
        var bundle = JsonNode.Parse(FixtureFiles.Bundle(FixtureFiles.PossibleUndiagnosedHeartFailure))!;
        bundle["entry"]![0]!["resource"]![deceasedProperty] = value;
        return bundle.ToJsonString();
    }

    private async Task<(int Exit, Resource Output, string Stderr)> ScreenFile(string json, DateOnly asOf)
    {
        var path = Path.Combine(_work, $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, json);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ScreenVerb.RunAsync(
            [path],
            asOf,
            Path.Combine(_work, "clinical.db"),
            stdout,
            stderr,
            CancellationToken.None
        );
        return (exit, FhirJson.Deserialize<Resource>(stdout.ToString()), stderr.ToString());
    }

    [Fact]
    public async Task Given_a_death_before_the_as_of_date_When_screened_by_the_CLI_Then_one_information_issue_only()
    {
        var json = PossibleHeartFailure("deceasedDateTime", JsonValue.Create("2026-03-01"));

        var (exit, output, stderr) = await ScreenFile(json, new DateOnly(2026, 6, 30));

        Assert.Equal(Verbs.Success, exit);
        Assert.Equal("", stderr);
        var issue = Assert.Single(Assert.IsType<OperationOutcome>(output).Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Information, issue.Severity);
        Assert.Equal(OperationOutcome.IssueType.Informational, issue.Code);
        Assert.Contains("Patient/fx-posible-ic is deceased (Patient.deceasedDateTime 2026-03-01", issue.Diagnostics);
        Assert.Contains("not screened, no RiskAssessment or Flag", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_as_of_date_before_the_death_When_screened_by_the_CLI_Then_the_record_is_screened_then()
    {
        var json = PossibleHeartFailure("deceasedDateTime", JsonValue.Create("2026-06-01"));

        var (exit, output, _) = await ScreenFile(json, new DateOnly(2026, 5, 31));

        Assert.Equal(Verbs.Success, exit);
        var resources = Assert.IsType<Bundle>(output).Entry.Select(e => e.Resource).ToList();
        Assert.Equal("Patient/fx-posible-ic", Assert.Single(resources.OfType<RiskAssessment>()).Subject.Reference);
        Assert.Single(resources.OfType<Flag>());
        Assert.Empty(resources.OfType<OperationOutcome>());
    }

    [Fact]
    public async Task Given_deceasedBoolean_and_a_living_patient_When_posted_Then_only_the_living_one_is_screened()
    {
        var dead = JsonNode.Parse(PossibleHeartFailure("deceasedBoolean", JsonValue.Create(true)))!;
        var living = JsonNode.Parse(FixtureFiles.Bundle(FixtureFiles.NoSuspicion))!;
        foreach (var entry in living["entry"]!.AsArray())
            dead["entry"]!.AsArray().Add(entry!.DeepClone());
        using var client = factory.CreateFhirClient();
        using var content = new StringContent(
            dead.ToJsonString(),
            Encoding.UTF8,
            new MediaTypeHeaderValue("application/fhir+json")
        );

        using var response = await client.PostAsync(
            new Uri("/fhir/Bundle/$hf-screen?asOf=2026-06-30", UriKind.Relative),
            content
        );

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var resources = FhirJson
            .Deserialize<Bundle>(await response.Content.ReadAsStringAsync())
            .Entry.Select(e => e.Resource)
            .ToList();
        Assert.Equal("Patient/fx-sana", Assert.Single(resources.OfType<RiskAssessment>()).Subject.Reference);
        Assert.Empty(resources.OfType<Flag>());
        var issue = Assert.Single(Assert.Single(resources.OfType<OperationOutcome>()).Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Information, issue.Severity);
        Assert.Contains("Patient.deceasedBoolean true", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Empty(
            factory.InScope(db => db.Screenings.Where(s => s.PatientReference == "Patient/fx-posible-ic").ToList())
        );
        Assert.Contains(
            factory.InScope(db => db.AuditRecords.Select(a => a.PatientReferences).ToList()),
            patients => patients.Contains("Patient/fx-posible-ic", StringComparison.Ordinal)
        );
    }

    [Fact]
    public async Task Given_a_cohort_with_a_deceased_patient_When_evaluated_Then_it_is_left_out_and_counted()
    {
        var cohort = Directory.CreateDirectory(Path.Combine(_work, "cohort")).FullName;
        foreach (var file in Directory.GetFiles(FixtureFiles.PathOf("cohort")))
            File.Copy(file, Path.Combine(cohort, Path.GetFileName(file)));
        var patients = File.ReadAllLines(Path.Combine(cohort, "Patient.ndjson"));
        var first = JsonNode.Parse(patients[0])!;
        first["deceasedDateTime"] = "2024-05-01";
        patients[0] = first.ToJsonString();
        await File.WriteAllLinesAsync(Path.Combine(cohort, "Patient.ndjson"), patients);
        using var stdout = new StringWriter();

        var exit = await Verbs.RunAsync(
            [
                "evaluate-cohort",
                "--data",
                cohort,
                "--truth",
                Path.Combine(cohort, "truth.ndjson"),
                "--tabular-model",
                FixtureFiles.PathOf("models", "hf-tabular"),
            ],
            stdout
        );

        Assert.Equal(Verbs.Success, exit);
        Assert.Contains(
            "Deceased by the as-of date (not screened), left out: 1.",
            stdout.ToString(),
            StringComparison.Ordinal
        );
    }
}
