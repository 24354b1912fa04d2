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

    [Fact]
    public void Given_lines_that_are_not_UTF8_When_read_Then_each_is_reported_and_every_other_line_is_read()
    {
        WriteBytes(
            "Patient.ndjson",
            [0xEF, 0xBB, 0xBF, .. Utf8("""{"resourceType":"Patient","id":"a","name":[{"family":"García"}]}""" + "\n")],
            WithBytes("""{"resourceType":"Patient","id":"b","name":[{"family":"Garc§a"}]}""", 0xC3, 0x28)
        );
        WriteBytes(
            "Observation.ndjson",
            Utf8(Observation("Patient/a", 100) + "\n"),
            WithBytes(Observation("Patient/a", 150).Replace("pg/mL", "pg/m§L", StringComparison.Ordinal), 0xC0, 0xAF),
            Utf8("\n" + Observation("Patient/a", 200) + "\n"),
            // The file ends inside a unit "€" (E2 82 AC), after two of its bytes and without a newline.
            [.. Utf8(Observation("Patient/a", 250).Split("pg/mL")[0]), 0xE2, 0x82]
        );
        WriteBytes(
            "Medication.ndjson",
            WithBytes("""{"resourceType":"Medication","id":"m1","code":{"text":"Furosemida §"}}""" + "\n", 0xE9),
            Utf8("""{"resourceType":"Medication","id":"m2","code":{"text":"Furosemida"}}""" + "\n")
        );

        var (groups, issues) = Read();

        var a = Assert.Single(groups);
        Assert.Equal("Patient/a", a.PatientReference);
        Assert.Equal([100m, 200m], a.Resources.Select(r => r.Resource).OfType<Observation>().Select(Value));
        Assert.Equal("García", a.Resources.Select(r => r.Resource).OfType<Patient>().Single().Name[0].Family);
        Assert.Equal("m2", Assert.Single(a.Resources, r => r.Resource is Medication).Resource.Id);
        var notUtf8 = issues.Where(i => i.Diagnostics.Contains("not valid UTF-8", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "Medication.ndjson line 1",
                "Observation.ndjson line 2",
                "Observation.ndjson line 4",
                "Patient.ndjson line 2",
            ],
            notUtf8.Select(i => i.Location!).Order(StringComparer.Ordinal)
        );
        Assert.All(notUtf8, i => Assert.Equal(IssueSeverity.Error, i.Severity));
    }

    [Fact]
    public void Given_a_carriage_return_inside_a_line_When_read_Then_the_line_stays_one_resource()
    {
        Write("Patient.ndjson", "{\"resourceType\":\"Patient\",\r\"id\":\"a\"}");
        Write("Observation.ndjson", Observation("Patient/a", 100).Replace(",", ",\r", StringComparison.Ordinal));

        var (groups, issues) = Read();

        Assert.Single(Assert.Single(groups).Resources, r => r.Resource is Observation);
        Assert.DoesNotContain(issues, i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal);
    }

    private static decimal? Value(Observation observation) => (observation.Value as Quantity)?.Value;

    private void WriteBytes(string file, params byte[][] parts) =>
        File.WriteAllBytes(Path.Combine(_folder, file), parts.SelectMany(p => p).ToArray());

    private static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>The text as UTF-8 with its '§' replaced by the raw bytes given.</summary>
    private static byte[] WithBytes(string text, params byte[] bytes)
    {
        var at = text.IndexOf('§', StringComparison.Ordinal);
        return [.. Utf8(text[..at]), .. bytes, .. Utf8(text[(at + 1)..])];
    }
}
