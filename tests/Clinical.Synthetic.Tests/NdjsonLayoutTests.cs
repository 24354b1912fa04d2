using System.Text.Json;

namespace Clinical.Synthetic.Tests;

public sealed class NdjsonLayoutTests
{
    private static readonly string[] HfStatuses = ["none", "undiagnosed", "diagnosed"];

    private static string[] ResourceFiles() =>
        Directory
            .GetFiles(SyntheticCohorts.Ndjson, "*.ndjson")
            .Where(f => Path.GetFileName(f) != "truth.ndjson")
            .Order(StringComparer.Ordinal)
            .ToArray();

    [Fact]
    public void Given_an_ndjson_export_When_listed_Then_each_resource_type_has_its_own_file_holding_only_that_type()
    {
        var files = ResourceFiles();
        var names = files.Select(Path.GetFileNameWithoutExtension).ToHashSet();

        Assert.Superset(
            new HashSet<string?>
            {
                "Patient",
                "Observation",
                "Condition",
                "MedicationStatement",
                "Encounter",
                "DocumentReference",
            },
            names
        );
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            Assert.True(lines.Length > 0, $"{Path.GetFileName(file)} is empty");
            foreach (var line in lines)
            {
                using var json = JsonDocument.Parse(line);
                Assert.Equal(
                    Path.GetFileNameWithoutExtension(file),
                    json.RootElement.GetProperty("resourceType").GetString()
                );
            }
        }
    }

    [Fact]
    public void Given_an_ndjson_export_When_the_manifest_is_read_Then_it_lists_every_file_with_its_line_count()
    {
        using var manifest = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(SyntheticCohorts.Ndjson, "manifest.json"))
        );
        var output = manifest
            .RootElement.GetProperty("output")
            .EnumerateArray()
            .ToDictionary(o => o.GetProperty("url").GetString()!, o => o.GetProperty("count").GetInt64());

        Assert.NotEmpty(output);
        Assert.True(manifest.RootElement.TryGetProperty("transactionTime", out _));
        Assert.Equal(0, manifest.RootElement.GetProperty("error").GetArrayLength());
        Assert.Equal(
            ResourceFiles().Select(Path.GetFileName).Order(StringComparer.Ordinal),
            output.Keys.Order(StringComparer.Ordinal)
        );
        foreach (var (url, count) in output)
        {
            Assert.Equal(count, File.ReadLines(Path.Combine(SyntheticCohorts.Ndjson, url)).LongCount());
        }
    }

    [Fact]
    public void Given_an_ndjson_export_When_references_are_followed_Then_each_is_type_slash_id_of_an_exported_resource()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var references = new List<string>();
        foreach (var file in ResourceFiles())
        {
            foreach (var line in File.ReadLines(file))
            {
                using var json = JsonDocument.Parse(line);
                ids.Add(
                    json.RootElement.GetProperty("resourceType").GetString()
                        + "/"
                        + json.RootElement.GetProperty("id").GetString()
                );
                Collect(json.RootElement, references);
            }
        }

        Assert.True(references.Count > 1000);
        Assert.All(references, r => Assert.Contains(r, ids));
    }

    [Fact]
    public void Given_an_ndjson_export_When_truth_is_read_Then_there_is_one_line_per_patient_with_documented_fields()
    {
        var patients = File.ReadLines(Path.Combine(SyntheticCohorts.Ndjson, "Patient.ndjson"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString())
            .ToList();
        var truth = File.ReadLines(Path.Combine(SyntheticCohorts.Ndjson, "truth.ndjson"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToList();

        Assert.NotEmpty(truth);
        Assert.Equal(patients, truth.Select(t => t.GetProperty("patientId").GetString()));
        foreach (var line in truth)
        {
            Assert.Contains(line.GetProperty("hfStatus").GetString(), HfStatuses);
            Assert.True(line.TryGetProperty("onsetDate", out _));
            Assert.True(line.TryGetProperty("diagnosisDate", out _));
            Assert.True(line.TryGetProperty("phenotype", out var phenotype));
            Assert.True(
                phenotype.ValueKind == JsonValueKind.Null || phenotype.GetString() is "HFrEF" or "HFmrEF" or "HFpEF"
            );
        }
    }

    private static void Collect(JsonElement element, List<string> references)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "reference" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        references.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, references);
                    }
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, references);
                }
                break;
        }
    }
}
