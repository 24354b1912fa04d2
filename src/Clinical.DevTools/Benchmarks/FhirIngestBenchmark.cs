using System.Diagnostics;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;

namespace Clinical.DevTools.Benchmarks;

public sealed record FhirIngestResult(
    string Input,
    long Bytes,
    int Patients,
    int Resources,
    int Repeats,
    double MedianMs,
    double MegabytesPerSecond,
    long PeakManagedBytes
);

/// <summary>
/// Parse + extract throughput for one FHIR input (a Bundle file or a bulk export folder), median of repeats.
/// </summary>
public static class FhirIngestBenchmark
{
    public static FhirIngestResult Run(string input, int repeats, DateOnly asOf)
    {
        var reader = new FhirInputReader();
        var extractor = new PatientRecordExtractor();
        var bulk = BulkExportLayout.LooksLikeBulkExport(input);
        var bytes = bulk ? BulkExportLayout.Discover(input).Files.Sum(f => f.Bytes) : new FileInfo(input).Length;
        var times = new List<double>();
        int patients = 0,
            resources = 0;
        long peak = 0;
        for (var i = 0; i < repeats + 1; i++)
        {
            GC.Collect();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var started = Stopwatch.GetTimestamp();
            (patients, resources) = bulk
                ? Bulk(input, reader, extractor, asOf)
                : Single(input, reader, extractor, asOf);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            peak = Math.Max(peak, GC.GetTotalMemory(false) - before);
            if (i > 0)
                times.Add(elapsed); // the first run warms up the JIT
        }
        times.Sort();
        var median = times[times.Count / 2];
        return new FhirIngestResult(
            input,
            bytes,
            patients,
            resources,
            repeats,
            median,
            bytes / 1e6 / (median / 1000),
            peak
        );
    }

    private static (int Patients, int Resources) Single(
        string file,
        FhirInputReader reader,
        PatientRecordExtractor extractor,
        DateOnly asOf
    )
    {
        var parsed = reader.Read(File.ReadAllBytes(file), file);
        var records = extractor.Extract(parsed.Resources, asOf, file).Patients;
        return (records.Count, parsed.Resources.Count);
    }

    private static (int Patients, int Resources) Bulk(
        string folder,
        FhirInputReader reader,
        PatientRecordExtractor extractor,
        DateOnly asOf
    )
    {
        var issues = new List<InputIssue>();
        int patients = 0,
            resources = 0;
        foreach (var group in new BulkExportReader(reader).ReadByPatient(BulkExportLayout.Discover(folder), issues))
        {
            patients += extractor.Extract(group.Resources, asOf, group.PatientReference).Patients.Count;
            resources += group.Resources.Count;
            issues.Clear();
        }
        return (patients, resources);
    }
}
