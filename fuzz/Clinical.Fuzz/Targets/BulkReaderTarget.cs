using System.Text;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;

namespace Clinical.Fuzz.Targets;

/// <summary>
/// The Bulk Data reader: the input is up to three NDJSON files separated by a 0x00 byte (Patient.ndjson,
/// Observation.ndjson, DocumentReference.ndjson), written to a fresh folder and read by patient through the bucket
/// files, each group then extracted. Properties: the only exception is <see cref="FhirInputException"/> with at least
/// one issue, and once the reading ends no bucket folder is left behind.
/// </summary>
public static class BulkReaderTarget
{
    private static readonly string[] FileNames = ["Patient.ndjson", "Observation.ndjson", "DocumentReference.ndjson"];
    private static readonly PatientRecordExtractor Extractor = new();
    private static readonly DateOnly AsOf = new(2026, 6, 30);

    public static FuzzTarget Target { get; } =
        new(
            "bulk",
            "Bulk Data NDJSON reader (bucket files), grouping by patient and extraction",
            Run,
            Seeds(),
            Generate
        );

    public static void Run(byte[] input)
    {
        var work = Directory.CreateTempSubdirectory("clinical-fuzz-bulk-");
        try
        {
            var export = Directory.CreateDirectory(Path.Combine(work.FullName, "export"));
            var scratch = Directory.CreateDirectory(Path.Combine(work.FullName, "scratch"));
            var parts = Split(input);
            for (var i = 0; i < parts.Count && i < FileNames.Length; i++)
                File.WriteAllBytes(Path.Combine(export.FullName, FileNames[i]), parts[i]);
            var reader = new BulkExportReader(new FhirInputReader(InputLimits.Default), scratch.FullName);
            var issues = new List<InputIssue>();
            try
            {
                foreach (var group in reader.ReadByPatient(BulkExportLayout.Discover(export.FullName), issues))
                    Extractor.Extract(group.Resources, AsOf, group.PatientReference);
            }
            catch (FhirInputException refused)
            {
                if (refused.Issues.Count == 0)
                    throw new InvalidOperationException("FhirInputException without an issue", refused);
            }
            if (Directory.EnumerateFileSystemEntries(scratch.FullName).Any())
                throw new InvalidOperationException("Bucket files were left behind after the reading ended.");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static List<byte[]> Split(byte[] input)
    {
        var parts = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= input.Length; i++)
        {
            if (i < input.Length && input[i] != 0)
                continue;
            parts.Add(input[start..i]);
            start = i + 1;
        }
        return parts;
    }

    private static byte[] Generate(Random random)
    {
        var patientId = FhirInputs.Pick(random, ["p", "q", "p", "", "x/y"]);
        string Lines(Func<System.Text.Json.Nodes.JsonObject> make) =>
            string.Join(
                random.Next(5) == 0 ? "\r\n" : "\n",
                Enumerable.Range(0, random.Next(4)).Select(_ => make().ToJsonString())
            );
        var files = new[]
        {
            Lines(() => FhirInputs.Patient(random, patientId)),
            Lines(() => FhirInputs.Observation(random, patientId)),
            Lines(() => FhirInputs.Note(random, patientId)),
        };
        return [.. FhirInputs.Unescape(string.Join('\0', files))];
    }

    private static List<byte[]> Seeds()
    {
        var seeds = new List<byte[]>
        {
            Encoding.UTF8.GetBytes(
                "{\"resourceType\":\"Patient\",\"id\":\"p\",\"birthDate\":\"1950-01-01\"}\0"
                    + "{\"resourceType\":\"Observation\",\"id\":\"o\",\"status\":\"final\",\"code\":{\"coding\":"
                    + "[{\"system\":\"http://loinc.org\",\"code\":\"33762-6\"}]},\"subject\":{\"reference\":"
                    + "\"Patient/p\"},\"valueQuantity\":{\"value\":900,\"unit\":\"pg/mL\"}}"
            ),
            "\0\0"u8.ToArray(),
            "{}\n[]\nnull\n"u8.ToArray(),
        };
        var random = new Random(16);
        for (var i = 0; i < 8; i++)
            seeds.Add(Generate(random));
        return seeds;
    }
}
