using Clinical.Api.Cli;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Cli;

public sealed class ScreenVerbTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("screen-verb-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private Task<(int Exit, string Stdout, string[] Stderr)> Screen(params string[] paths) => ScreenWith([], paths);

    private async Task<(int Exit, string Stdout, string[] Stderr)> ScreenWith(
        string[] configuration,
        params string[] paths
    )
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ScreenVerb.RunAsync(
            paths,
            new DateOnly(2026, 6, 30),
            Path.Combine(_work, "clinical.db"),
            stdout,
            stderr,
            CancellationToken.None,
            [.. configuration.Select(c => $"--{c}")]
        );
        return (exit, stdout.ToString(), stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Given_a_3_GB_file_and_a_good_one_When_screened_Then_the_big_one_is_refused_unread()
    {
        // A sparse file: 3 GB long, nothing on disk. Reading it whole (as a string) cannot even succeed.
        var huge = Path.Combine(_work, "huge.json");
        await using (var file = File.Create(huge))
            file.SetLength(3L * 1024 * 1024 * 1024);

        var (exit, stdout, stderr) = await Screen(huge, FixtureFiles.PathOf("bundles", FixtureFiles.NoSuspicion));

        Assert.Equal(2, exit);
        Assert.Contains(
            stderr,
            line =>
                line.Contains("huge.json", StringComparison.Ordinal)
                && line.Contains("the limit is 33,554,432 bytes (Clinical:MaxRequestBytes)", StringComparison.Ordinal)
        );
        Assert.Equal("low", Risk(FhirJson.Deserialize<Bundle>(stdout), "Patient/fx-sana"));
    }

    [Fact]
    public async Task Given_an_empty_bundle_then_a_good_file_When_screened_Then_the_second_is_screened_and_first_named()
    {
        var empty = Path.Combine(_work, "EMPTY.json");
        await File.WriteAllTextAsync(empty, """{"resourceType":"Bundle","type":"collection"}""");

        var (exit, stdout, stderr) = await Screen(empty, FixtureFiles.PathOf("bundles", FixtureFiles.NoSuspicion));

        Assert.Equal(0, exit);
        var warning = Assert.Single(stderr);
        Assert.StartsWith("warning:", warning, StringComparison.Ordinal);
        Assert.Contains("EMPTY.json", warning, StringComparison.Ordinal);
        Assert.Contains("nobody to screen", warning, StringComparison.Ordinal);
        var bundle = FhirJson.Deserialize<Bundle>(stdout);
        Assert.Equal("low", Risk(bundle, "Patient/fx-sana"));
        var issue = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<OperationOutcome>()).Issue;
        Assert.Contains(issue, i => (i.Diagnostics ?? "").Contains("nobody to screen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_a_lone_surrogate_in_a_name_When_screened_Then_exit_2_with_one_located_stderr_line()
    {
        var file = Path.Combine(_work, "surrogate.json");
        await File.WriteAllTextAsync(
            file,
            FixtureFiles
                .Bundle(FixtureFiles.NoSuspicion)
                .Replace("\"Ficticia Tres\"", "\"Ficticio \\ud800 Dos\"", StringComparison.Ordinal)
        );

        var (exit, stdout, stderr) = await Screen(file);

        Assert.Equal(2, exit);
        var error = Assert.Single(stderr);
        Assert.Contains("surrogate.json", error, StringComparison.Ordinal);
        Assert.Contains("lone UTF-16 surrogate", error, StringComparison.Ordinal);
        Assert.Contains("OperationOutcome", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_export_line_that_is_not_UTF8_When_screened_Then_stderr_names_it_and_all_are_screened()
    {
        var cohort = CohortRunFiles.Generate(Path.Combine(_work, "cohort"), patients: 2);
        var line = CohortRunFiles.BreakUtf8(Path.Combine(cohort, "Observation.ndjson"));

        var (exit, stdout, stderr) = await Screen(cohort);

        Assert.Equal(2, exit);
        var error = Assert.Single(stderr, l => l.Contains("not valid UTF-8", StringComparison.Ordinal));
        Assert.Contains($"Observation.ndjson line {line}", error, StringComparison.Ordinal);
        var bundle = FhirJson.Deserialize<Bundle>(stdout);
        Assert.Equal(2, bundle.Entry.Select(e => e.Resource).OfType<RiskAssessment>().Count());
    }

    private static string Risk(Bundle bundle, string patient) =>
        bundle
            .Entry.Select(e => e.Resource)
            .OfType<RiskAssessment>()
            .Single(r => r.Subject.Reference == patient)
            .Prediction[0]
            .QualitativeRisk!.Coding[0]
            .Code!;

    [Fact]
    public async Task Given_the_fixture_folder_When_screened_Then_possible_HF_is_flagged_known_HF_certain_healthy_low()
    {
        var (exit, stdout, stderr) = await Screen(FixtureFiles.PathOf("bundles"));

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        var bundle = FhirJson.Deserialize<Bundle>(stdout);
        Assert.Equal("high", Risk(bundle, "Patient/fx-posible-ic"));
        Assert.Equal("certain", Risk(bundle, "Patient/fx-ic-diagnosticada"));
        Assert.Equal("low", Risk(bundle, "Patient/fx-sana"));
        Assert.Equal(
            ["Patient/fx-posible-ic", "Patient/fx-sospita-ca"],
            bundle
                .Entry.Select(e => e.Resource)
                .OfType<Flag>()
                .Select(f => f.Subject.Reference)
                .Order(StringComparer.Ordinal)
        );
    }

    [Fact]
    public async Task Given_flagged_patients_When_screened_Then_each_has_a_grounded_summary_linked_to_its_risk()
    {
        var (_, stdout, _) = await Screen(FixtureFiles.PathOf("bundles"));

        var resources = FhirJson.Deserialize<Bundle>(stdout).Entry.Select(e => e.Resource).ToList();
        var flagged = resources.OfType<Flag>().Select(f => f.Subject.Reference).ToHashSet(StringComparer.Ordinal);
        var summaries = resources.OfType<DocumentReference>().ToList();
        Assert.Equal(
            flagged.Order(StringComparer.Ordinal),
            summaries.Select(d => d.Subject!.Reference).Order(StringComparer.Ordinal)
        );
        foreach (var summary in summaries)
        {
            var risk = resources
                .OfType<RiskAssessment>()
                .Single(r => r.Subject.Reference == summary.Subject!.Reference);
            Assert.Contains(summary.Context!.Related, r => r.Reference == $"RiskAssessment/{risk.Id}");
            Assert.Empty(EmittedResourceCheck.Problems(summary));
            Assert.Contains(
                resources.OfType<Provenance>(),
                p => p.Target.Any(t => t.Reference == $"DocumentReference/{summary.Id}")
            );
        }
        var spanish = summaries.Single(d => d.Subject!.Reference == "Patient/fx-posible-ic");
        Assert.Equal("es", spanish.Content[0].Attachment.Language);
        Assert.Contains(
            "disnea",
            System.Text.Encoding.UTF8.GetString(spanish.Content[0].Attachment.Data!),
            StringComparison.OrdinalIgnoreCase
        );
    }

    [Fact]
    public async Task Given_a_malformed_file_When_screened_Then_exit_2_a_Bundle_with_the_outcome_and_one_stderr_line()
    {
        var (exit, stdout, stderr) = await Screen(FixtureFiles.PathOf("invalid", "truncated.json"));

        Assert.Equal(2, exit);
        // Every input invalid still gives the promised collection Bundle, holding the OperationOutcome (issue 16).
        var bundle = FhirJson.Deserialize<Bundle>(stdout);
        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        var outcome = Assert.IsType<OperationOutcome>(Assert.Single(bundle.Entry).Resource);
        Assert.Equal(OperationOutcome.IssueSeverity.Fatal, Assert.Single(outcome.Issue).Severity);
        var line = Assert.Single(stderr);
        Assert.Contains("truncated.json (line 1, column", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_folder_with_one_bad_file_When_screened_Then_the_good_files_are_still_screened()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work, "inputs")).FullName;
        File.Copy(
            FixtureFiles.PathOf("bundles", FixtureFiles.PossibleUndiagnosedHeartFailure),
            Path.Combine(folder, "a.json")
        );
        File.Copy(FixtureFiles.PathOf("invalid", "truncated.json"), Path.Combine(folder, "b.json"));
        File.Copy(FixtureFiles.PathOf("bundles", FixtureFiles.NoSuspicion), Path.Combine(folder, "c.json"));

        var (exit, stdout, stderr) = await Screen(folder);

        Assert.Equal(2, exit);
        var bundle = FhirJson.Deserialize<Bundle>(stdout);
        Assert.Equal(2, bundle.Entry.Select(e => e.Resource).OfType<RiskAssessment>().Count());
        var outcome = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<OperationOutcome>());
        Assert.Contains("b.json", Assert.Single(outcome.Issue).Diagnostics, StringComparison.Ordinal);
        Assert.Contains("b.json", Assert.Single(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_bundle_with_a_bad_entry_When_screened_Then_the_patient_is_screened_from_the_good_entries()
    {
        var (exit, stdout, _) = await Screen(FixtureFiles.PathOf("invalid", "bundle-bad-entry.json"));

        Assert.Equal(2, exit);
        var bundle = FhirJson.Deserialize<Bundle>(stdout);
        Assert.Equal("high", Risk(bundle, "Patient/fx-entrada-parcial"));
        Assert.Contains(
            Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<OperationOutcome>()).Issue,
            i => i.Expression.Contains("Bundle.entry[2].resource.status")
        );
    }

    [Fact]
    public async Task Given_a_Bulk_export_with_one_patient_over_the_note_budget_When_screened_Then_all_are_screened()
    {
        // The fixture cohort's patients have up to 40 notes; one has exactly 40.
        var export = Directory.CreateDirectory(Path.Combine(_work, "export")).FullName;
        foreach (var file in Directory.EnumerateFiles(FixtureFiles.PathOf("cohort"), "*.ndjson"))
        {
            if (Path.GetFileName(file) != "truth.ndjson")
                File.Copy(file, Path.Combine(export, Path.GetFileName(file)));
        }
        var heaviest = File.ReadLines(Path.Combine(export, "DocumentReference.ndjson"))
            .Select(l => (string)System.Text.Json.Nodes.JsonNode.Parse(l)!["subject"]!["reference"]!)
            .CountBy(r => r)
            .OrderByDescending(c => c.Value)
            .Take(2)
            .ToList();
        Assert.Equal(40, heaviest[0].Value);
        Assert.True(heaviest[1].Value < 40);

        var (exit, stdout, stderr) = await ScreenWith(["Clinical:Limits:MaxNotes=39"], export);

        // Until now the one patient over the budget stopped the whole export (exit 2, nobody in the Bundle).
        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        var bundle = FhirJson.Deserialize<Bundle>(stdout);
        var screened = bundle.Entry.Select(e => e.Resource).OfType<RiskAssessment>().ToList();
        Assert.Equal(60, screened.Count);
        Assert.Contains(screened, r => r.Subject.Reference == heaviest[0].Key);
        var outcome = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<OperationOutcome>());
        var warning = Assert.Single(outcome.Issue, i => i.Code == OperationOutcome.IssueType.TooCostly);
        Assert.Equal(OperationOutcome.IssueSeverity.Warning, warning.Severity);
        Assert.StartsWith($"{heaviest[0].Key}: 1 of 40 notes (", warning.Diagnostics, StringComparison.Ordinal);
        Assert.Contains("(Clinical:Limits:MaxNotes = 39)", warning.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(
            60,
            CohortRunFiles.Count(Path.Combine(_work, "clinical.db"), "SELECT count(*) FROM Screenings WHERE IsLatest")
        );
    }
}
