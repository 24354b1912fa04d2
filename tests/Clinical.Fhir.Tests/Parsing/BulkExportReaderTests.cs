using Clinical.Fhir.Parsing;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Tests.Parsing;

public sealed class BulkExportReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bulk-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string file, params string[] lines) => File.WriteAllLines(Path.Combine(_folder, file), lines);

    private static string Observation(string patient, decimal value) =>
        """{"resourceType":"Observation","status":"final","code":{"coding":["""
        + """{"system":"http://loinc.org","code":"33762-6"}]},"subject":"""
        + $$$"""{"reference":"{{{patient}}}"},"valueQuantity":{"value":{{{value}}},"unit":"pg/mL"}}""";

    private (List<PatientGroup> Groups, List<InputIssue> Issues) Read()
    {
        var issues = new List<InputIssue>();
        var groups = new BulkExportReader(new FhirInputReader())
            .ReadByPatient(BulkExportLayout.Discover(_folder), issues)
            .ToList();
        return (groups, issues);
    }

    [Fact]
    public void Given_an_export_When_read_Then_resources_are_grouped_by_patient_across_numbered_files()
    {
        Write(
            "Patient.000.ndjson",
            """{"resourceType":"Patient","id":"a"}""",
            """{"resourceType":"Patient","id":"b"}"""
        );
        Write("Observation.000.ndjson", Observation("Patient/a", 100), Observation("Patient/b", 900));
        Write("Observation.001.ndjson", Observation("https://ehr.invalid/fhir/Patient/a/_history/3", 150));

        var (groups, _) = Read();

        Assert.Equal(["Patient/a", "Patient/b"], groups.Select(g => g.PatientReference).Order(StringComparer.Ordinal));
        var a = groups.Single(g => g.PatientReference == "Patient/a");
        Assert.Equal(2, a.Resources.Count(r => r.Resource is Observation));
        Assert.Single(groups.Single(g => g.PatientReference == "Patient/b").Resources, r => r.Resource is Observation);
    }

    [Fact]
    public void Given_a_bad_line_When_read_Then_it_is_reported_with_file_and_line_and_the_rest_is_read()
    {
        Write("Patient.ndjson", """{"resourceType":"Patient","id":"a"}""");
        Write(
            "Observation.ndjson",
            Observation("Patient/a", 100),
            """{"resourceType":"Observation","status":"nonsense","subject":{"reference":"Patient/a"}}""",
            "{not json",
            Observation("Patient/a", 200)
        );

        var (groups, issues) = Read();

        Assert.Equal(2, Assert.Single(groups).Resources.Count(r => r.Resource is Observation));
        Assert.Contains(
            issues,
            i => i.Line == 2 && i.Location!.StartsWith("Observation.ndjson line 2", StringComparison.Ordinal)
        );
        Assert.Contains(issues, i => i.Line == 3 && i.Diagnostics.StartsWith("Invalid JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_an_export_log_and_manifest_When_discovered_Then_they_are_skipped_with_a_note()
    {
        Write("Patient.ndjson", """{"resourceType":"Patient","id":"a"}""");
        Write(
            "log.ndjson",
            """{"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational"}]}"""
        );
        Write("manifest.json", "{}");

        var layout = BulkExportLayout.Discover(_folder);

        Assert.Equal("Patient", Assert.Single(layout.Files).ResourceType);
        Assert.Contains(
            layout.Notes,
            n =>
                n.Diagnostics.Contains("log.ndjson", StringComparison.Ordinal)
                && n.Diagnostics.Contains("export log", StringComparison.Ordinal)
        );
        Assert.Contains(layout.Notes, n => n.Diagnostics.Contains("manifest.json", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_resources_of_a_patient_not_in_Patient_ndjson_When_read_Then_they_are_reported_not_lost_silently()
    {
        Write("Patient.ndjson", """{"resourceType":"Patient","id":"a"}""");
        Write("Observation.ndjson", Observation("Patient/ghost", 500));

        var (groups, issues) = Read();

        Assert.Equal("Patient/a", Assert.Single(groups).PatientReference);
        Assert.Contains(
            issues,
            i => i.Code == "not-found" && i.Diagnostics.Contains("Patient/ghost", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Given_an_export_When_partitioned_into_shards_Then_the_shards_hold_every_patient_once_and_read_alike()
    {
        Write(
            "Patient.ndjson",
            [.. Enumerable.Range(0, 12).Select(i => $$"""{"resourceType":"Patient","id":"p{{i}}"}""")]
        );
        Write("Observation.ndjson", [.. Enumerable.Range(0, 12).Select(i => Observation($"Patient/p{i}", 100 + i))]);
        var layout = BulkExportLayout.Discover(_folder);
        var reader = new BulkExportReader(new FhirInputReader());
        var scratch = Directory.CreateDirectory(Path.Combine(_folder, "shards")).FullName;
        var issues = new List<InputIssue>();

        var shards = BulkExportReader.Partition(layout, scratch, shardCount: 3, issues);

        Assert.Equal(12, shards.Sum(s => s.Patients));
        var groups = shards
            .SelectMany(s => BulkExportReader.ReadShard(s.Path))
            .Select(lines => reader.Group(lines, [], issues))
            .ToList();
        Assert.Equal(
            Enumerable.Range(0, 12).Select(i => $"Patient/p{i}").Order(StringComparer.Ordinal),
            groups.Select(g => g!.PatientReference).Order(StringComparer.Ordinal)
        );
        Assert.All(groups, g => Assert.Equal(2, g!.Resources.Count));
        Assert.Equal(
            shards.Select(s => BulkExportReader.ReadShard(s.Path).Select(l => l.PatientReference).ToList()),
            shards.Select(s => BulkExportReader.ReadShard(s.Path).Select(l => l.PatientReference).ToList())
        );
        Assert.Empty(issues);
    }

    private string ScratchRoot()
    {
        var root = Path.Combine(_folder, "tmp");
        Directory.CreateDirectory(root);
        return root;
    }

    private void WriteExport()
    {
        Write("Patient.ndjson", """{"resourceType":"Patient","id":"a"}""", """{"resourceType":"Patient","id":"b"}""");
        Write("Observation.ndjson", Observation("Patient/a", 100), Observation("Patient/b", 900));
    }

    [Fact]
    public void Given_a_reading_stopped_after_the_first_patient_When_disposed_Then_no_bucket_folder_is_left()
    {
        WriteExport();
        var root = ScratchRoot();
        var reader = new BulkExportReader(new FhirInputReader(), root);

        using (var groups = reader.ReadByPatient(BulkExportLayout.Discover(_folder), []).GetEnumerator())
        {
            Assert.True(groups.MoveNext());
            var scratch = Assert.Single(Directory.GetDirectories(root));
            Assert.StartsWith($"{BulkExportReader.ScratchPrefix}{Environment.ProcessId}-", Path.GetFileName(scratch));
            Assert.NotEmpty(Directory.GetFiles(scratch));
        }

        Assert.Empty(Directory.GetDirectories(root));
    }

    [Fact]
    public void Given_a_reading_abandoned_without_dispose_When_the_process_exits_Then_its_folder_is_removed()
    {
        WriteExport();
        var root = ScratchRoot();
        var abandoned = new BulkExportReader(new FhirInputReader(), root)
            .ReadByPatient(BulkExportLayout.Discover(_folder), [])
            .GetEnumerator();
        Assert.True(abandoned.MoveNext());
        Assert.Single(Directory.GetDirectories(root));

        BulkExportReader.DeleteOwnScratch(root); // what AppDomain.ProcessExit runs, for every root

        Assert.Empty(Directory.GetDirectories(root));
    }

    [Fact]
    public void Given_the_folder_of_a_killed_process_When_a_reading_starts_Then_it_is_swept_and_live_ones_are_kept()
    {
        WriteExport();
        var root = ScratchRoot();
        var killed = Path.Combine(root, $"{BulkExportReader.ScratchPrefix}{int.MaxValue}-0123456789abcdef");
        var live = Path.Combine(root, $"{BulkExportReader.ScratchPrefix}{Environment.ProcessId}-fedcba9876543210");
        foreach (var folder in new[] { killed, live })
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "0000.lines"), "Patient/x\tPatient.ndjson\t1\t{}");
        }

        var groups = new BulkExportReader(new FhirInputReader(), root)
            .ReadByPatient(BulkExportLayout.Discover(_folder), [])
            .ToList();

        Assert.Equal(2, groups.Count);
        Assert.False(Directory.Exists(killed));
        Assert.True(Directory.Exists(live));
    }

    [Fact]
    public void Given_a_line_whose_resourceType_or_reference_is_not_a_string_When_read_Then_it_is_reported_not_thrown()
    {
        Write("Patient.ndjson", """{"resourceType":"Patient","id":"a"}""", """{"resourceType":"Patient","id":5}""");
        Write(
            "Observation.ndjson",
            """{"resourceType":5}""",
            """{"resourceType":"Observation","subject":{"reference":7}}"""
        );

        var (groups, issues) = Read();

        Assert.Equal(["Patient/a"], groups.Select(g => g.PatientReference));
        Assert.Contains(issues, i => i.Diagnostics.Contains("no resourceType", StringComparison.Ordinal));
    }
}
