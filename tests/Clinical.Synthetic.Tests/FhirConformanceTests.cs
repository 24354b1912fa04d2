using System.Text.RegularExpressions;
using Clinical.Synthetic;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Validation;

namespace Clinical.Synthetic.Tests;

public sealed partial class FhirConformanceTests
{
    private static readonly IFhirSerializationEngine Strict = FhirSerializationEngineFactory.Strict(
        ModelInfo.ModelInspector
    );

    [Fact]
    public void Every_ndjson_resource_parses_with_the_strict_parser_and_passes_poco_validation()
    {
        var failures = new List<string>();
        var parsed = 0;
        foreach (
            var file in Directory
                .EnumerateFiles(SyntheticCohorts.Ndjson, "*.ndjson")
                .Where(f => !f.EndsWith("truth.ndjson", StringComparison.Ordinal))
        )
        {
            foreach (var line in File.ReadLines(file))
            {
                try
                {
                    var resource = Strict.DeserializeFromJson(line)!;
                    var issues = resource.Validate(ModelInfo.ModelInspector).ToList();
                    if (issues.Count > 0)
                    {
                        failures.Add($"{Path.GetFileName(file)}: {string.Join("; ", issues.Select(i => i.Message))}");
                    }
                    parsed++;
                }
                catch (DeserializationFailedException e)
                {
                    failures.Add($"{Path.GetFileName(file)}: {e.Message}");
                }
            }
        }

        Assert.Empty(failures.Take(5));
        Assert.True(parsed > 1000, $"only {parsed} resources parsed");
    }

    [Fact]
    public void Every_bundle_parses_strictly_and_every_reference_resolves_to_an_entry_of_the_same_bundle()
    {
        var files = Directory.GetFiles(Path.Combine(SyntheticCohorts.Bundles, "bundles"), "*.json");
        Assert.Equal(40, files.Length);
        var resolved = 0;
        foreach (var file in files)
        {
            var json = File.ReadAllText(file);
            var bundle = Assert.IsType<Bundle>(Strict.DeserializeFromJson(json));
            Assert.Empty(bundle.Validate(ModelInfo.ModelInspector));
            Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
            var fullUrls = bundle.Entry.Select(e => e.FullUrl).ToHashSet(StringComparer.Ordinal);
            Assert.All(fullUrls, url => Assert.StartsWith("urn:uuid:", url, StringComparison.Ordinal));
            Assert.Equal(bundle.Entry.Count, fullUrls.Count);
            var patient = Assert.IsType<Patient>(bundle.Entry[0].Resource);
            Assert.Equal(Path.GetFileNameWithoutExtension(file), patient.Id);
            var references = ReferencePattern().Matches(json).Select(m => m.Groups[1].Value).ToList();
            Assert.All(references, reference => Assert.Contains(reference, fullUrls));
            resolved += references.Count;
        }
        Assert.True(resolved > 1000, $"only {resolved} references");
    }

    [Fact]
    public void Every_dated_resource_lies_on_or_before_the_as_of_date()
    {
        var asOf = SyntheticCohorts.Enriched.AsOfDate;
        foreach (var resource in SyntheticCohorts.EnrichedInMemory.SelectMany(p => p.Resources))
        {
            var date = resource switch
            {
                Encounter e => e.Period?.Start,
                Observation o => (o.Effective as FhirDateTime)?.Value,
                Condition c => c.RecordedDate,
                MedicationStatement m => (m.Effective as Period)?.Start,
                DocumentReference d => d.Date!.Value.ToString(
                    "yyyy-MM-dd",
                    System.Globalization.CultureInfo.InvariantCulture
                ),
                _ => null,
            };
            if (date is not null)
            {
                Assert.True(
                    DateOnly.ParseExact(date[..10], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
                        <= asOf,
                    $"{resource.TypeName} dated {date}"
                );
            }
        }
    }

    [GeneratedRegex("\"reference\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex ReferencePattern();
}
