using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Tests;

namespace Clinical.Fhir.Tests.SharedSamples;

/// <summary>
/// The reader over real inputs it did not write: Synthea, the official R4 examples and the bad/ suite.
/// </summary>
public sealed class SharedSamplesTests
{
    private static readonly DateOnly AsOf = new(2026, 6, 30);

    public static TheoryData<string> AllJsonFiles()
    {
        var root = FixtureFiles.SharedSamples();
        var data = new TheoryData<string>();
        foreach (
            var group in (string[])["synthea-r4", "synthea-r4-notes", "hl7-r4-examples", "hl7-r4-examples-npm", "bad"]
        )
        {
            var folder = Path.Combine(root, group);
            if (!Directory.Exists(folder))
                continue;
            foreach (
                var file in Directory
                    .EnumerateFiles(folder, "*.json", SearchOption.AllDirectories)
                    .Where(f => !f.Contains("expected-outcomes", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal)
            )
                data.Add(Path.GetRelativePath(root, file));
        }
        if (data.Count == 0)
            data.Add($"(no samples found under {root})");
        return data;
    }

    [SharedSamplesTheory]
    [MemberData(nameof(AllJsonFiles))]
    public void Given_a_real_world_file_When_read_and_extracted_Then_it_yields_records_or_located_issues_never_a_crash(
        string relative
    )
    {
        var path = FixtureFiles.SharedSamples(relative);
        Assert.True(File.Exists(path), $"Shared sample not found: {path}");
        try
        {
            var parsed = new FhirInputReader().Read(File.ReadAllText(path), relative);
            var extraction = new PatientRecordExtractor().Extract(parsed.Resources, AsOf, relative);
            Assert.All(
                parsed.Issues.Concat(extraction.Issues),
                i => Assert.False(string.IsNullOrWhiteSpace(i.Diagnostics))
            );
        }
        catch (FhirInputException refused)
        {
            Assert.NotEmpty(refused.Issues);
            Assert.All(
                refused.Issues,
                i =>
                    Assert.True(
                        i.Location is not null || i.Line is not null || i.Code is "too-costly",
                        $"{i.Describe()} has no location"
                    )
            );
        }
    }

    [SharedSamplesTheory]
    [InlineData("synthea-r4/hf", true)]
    [InlineData("synthea-r4/nonhf-risk", false)]
    [InlineData("synthea-r4/nonhf-general", false)]
    public void Given_Synthea_patients_When_extracted_Then_only_the_diagnosed_ones_are_known_HF(
        string folder,
        bool knownHeartFailure
    )
    {
        var files = Directory.GetFiles(FixtureFiles.SharedSamples(folder), "*.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var parsed = new FhirInputReader().Read(File.ReadAllText(file), file);
            var record = Assert.Single(new PatientRecordExtractor().Extract(parsed.Resources, AsOf, file).Patients);
            Assert.True(
                knownHeartFailure == record.ActiveHeartFailure.Any(),
                $"{Path.GetFileName(file)}: expected known HF = {knownHeartFailure}"
            );
            if (knownHeartFailure)
            {
                Assert.Contains(record.Measurements, m => m.Kind == MeasurementKind.NtProBnp);
                Assert.Contains(record.Measurements, m => m.Kind == MeasurementKind.Lvef);
            }
        }
    }

    [SharedSamplesFact]
    public void Given_the_Synthea_bundles_with_notes_When_extracted_Then_their_English_notes_are_read()
    {
        var files = Directory.GetFiles(FixtureFiles.SharedSamples("synthea-r4-notes"), "*.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var parsed = new FhirInputReader().Read(File.ReadAllText(file), file);
            var record = Assert.Single(new PatientRecordExtractor().Extract(parsed.Resources, AsOf, file).Patients);
            Assert.NotEmpty(record.Notes);
            Assert.True(
                record.Notes.Count(n => n.Language == "en") > record.Notes.Count / 2,
                $"{Path.GetFileName(file)}: most notes should be detected as English"
            );
        }
    }

    [SharedSamplesFact]
    public void Given_the_bulk_export_When_read_Then_every_patient_is_grouped_and_the_log_is_skipped()
    {
        var issues = new List<InputIssue>();
        var layout = BulkExportLayout.Discover(FixtureFiles.SharedSamples("bulk-ndjson", "sample-bulk-10-patients"));

        var groups = new BulkExportReader(new FhirInputReader()).ReadByPatient(layout, issues).ToList();

        var patientLines = File.ReadLines(layout.Files.Single(f => f.ResourceType == "Patient").Path)
            .Count(l => l.Length > 0);
        Assert.NotEmpty(groups);
        Assert.Equal(patientLines, groups.Count);
        Assert.Contains(issues, i => i.Diagnostics.Contains("log.ndjson", StringComparison.Ordinal));
        Assert.All(groups, g => Assert.Contains(g.Resources, r => r.Resource is Hl7.Fhir.Model.DocumentReference));
        Assert.DoesNotContain(issues, i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal);
    }
}
