using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Clinical.Synthetic;
using Clinical.Tests;

namespace Clinical.Synthetic.Tests;

/// <summary>
/// The generator's output through the product's own reader: no issues, and the truth agrees with what is extracted.
/// </summary>
public sealed class GeneratedCohortReadTests
{
    [Fact]
    public void Given_generated_bundles_When_read_by_the_product_Then_there_are_no_issues_and_diagnosed_are_known_HF()
    {
        var options = new CohortOptions(Patients: 120, Seed: 7, HfShare: 0.3);
        var reader = new FhirInputReader();
        var extractor = new PatientRecordExtractor();

        var patients = new CohortGenerator(options).Patients().ToList();
        Assert.Equal(options.Patients, patients.Count);
        Assert.Contains(patients, p => p.Truth.HfStatus == HfStatus.Diagnosed);
        foreach (var patient in patients)
        {
            var parsed = reader.Read(FhirJson.Serialize(patient.ToBundle(), indented: false), patient.Truth.PatientId);
            Assert.True(
                parsed.Issues.All(i => i.Severity is IssueSeverity.Information),
                string.Join("; ", parsed.Issues.Select(i => i.Describe()))
            );
            var record = Assert.Single(
                extractor.Extract(parsed.Resources, options.AsOfDate, patient.Truth.PatientId).Patients
            );
            Assert.True(
                (patient.Truth.HfStatus == HfStatus.Diagnosed) == record.ActiveHeartFailure.Any(),
                $"{patient.Truth.PatientId}: truth {patient.Truth.HfStatus}, extracted known HF = "
                    + $"{record.ActiveHeartFailure.Any()}"
            );
            Assert.Equal(
                patient.Resources.OfType<Hl7.Fhir.Model.DocumentReference>().Sum(d => d.Content.Count),
                record.Notes.Count
            );
        }
    }

    [Fact]
    public void Given_the_fixture_cohort_When_read_as_a_bulk_export_Then_every_truth_patient_is_grouped_without_errors()
    {
        var folder = FixtureFiles.PathOf("cohort");
        var truth = File.ReadLines(Path.Combine(folder, "truth.ndjson"))
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .ToDictionary(
                t => $"Patient/{t.GetProperty("patientId").GetString()}",
                t => t.GetProperty("hfStatus").GetString(),
                StringComparer.Ordinal
            );
        Assert.Contains("diagnosed", truth.Values);
        var issues = new List<InputIssue>();

        var groups = new BulkExportReader(new FhirInputReader())
            .ReadByPatient(BulkExportLayout.Discover(folder), issues)
            .ToList();

        Assert.Equal(
            truth.Keys.Order(StringComparer.Ordinal),
            groups.Select(g => g.PatientReference).Order(StringComparer.Ordinal)
        );
        Assert.DoesNotContain(
            issues,
            i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal or IssueSeverity.Warning
        );
        var extractor = new PatientRecordExtractor();
        foreach (var group in groups)
        {
            var record = Assert.Single(
                extractor.Extract(group.Resources, CohortOptions.DefaultAsOf, group.PatientReference).Patients
            );
            Assert.Equal(truth[group.PatientReference] == "diagnosed", record.ActiveHeartFailure.Any());
        }
    }
}
