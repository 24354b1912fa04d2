using Clinical.Api.Features.Screening;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Scoring;

namespace Clinical.Fuzz.Targets;

/// <summary>
/// The FHIR reader as a screening uses it: <see cref="FhirInputReader.Read(ReadOnlyMemory{byte}, string)"/> on the
/// raw bytes, then the extractor, the mapping to the risk input and the rules-only risk engine on what was accepted.
/// Properties: the only exception is <see cref="FhirInputException"/>, and it carries at least one issue (an
/// OperationOutcome always has one); nothing after the reader throws.
/// </summary>
public static class FhirReaderTarget
{
    private static readonly FhirInputReader Reader = new(InputLimits.Default);
    private static readonly PatientRecordExtractor Extractor = new();
    private static readonly RiskEngine Engine = RiskEngine.RulesOnly();
    private static readonly DateOnly AsOf = new(2026, 6, 30);

    public static FuzzTarget Target { get; } =
        new(
            "fhir",
            "FHIR JSON reader, extraction, risk input mapping and rules-only scoring",
            Run,
            Seeds(),
            FhirInputs.Bundle
        );

    public static void Run(byte[] input)
    {
        ParsedInput parsed;
        try
        {
            parsed = Reader.Read(input, "fuzz");
        }
        catch (FhirInputException refused)
        {
            if (refused.Issues.Count == 0)
                throw new InvalidOperationException("FhirInputException without an issue", refused);
            return;
        }
        var extraction = Extractor.Extract(parsed.Resources, AsOf, "fuzz");
        foreach (var record in extraction.Patients)
        {
            _ = ScreeningMapping.NoteIssues(record, "fuzz").ToList();
            Engine.Assess(ScreeningMapping.ToRiskInput(record));
        }
    }

    private static List<byte[]> Seeds()
    {
        var seeds = new List<byte[]>
        {
            """{"resourceType":"Bundle","type":"collection"}"""u8.ToArray(),
            """{"resourceType":"Patient","id":"p","birthDate":"1950-01-01"}"""u8.ToArray(),
            """{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","""u8
                .ToArray()
                .Concat(
                    """
                    "id":"p","name":[{"family":"Ficticio \ud800 Dos"}]}}]}
                    """u8.ToArray()
                )
                .ToArray(),
        };
        var random = new Random(16);
        for (var i = 0; i < 8; i++)
            seeds.Add(FhirInputs.Bundle(random));
        seeds.AddRange(RepositoryFixtures("bundles", "*.json"));
        return seeds;
    }

    /// <summary>The repository's fixture files when run from inside the checkout (CI, the README's commands).</summary>
    internal static IEnumerable<byte[]> RepositoryFixtures(string folder, string pattern)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var fixtures = Path.Combine(dir.FullName, "fixtures", folder);
            if (File.Exists(Path.Combine(dir.FullName, "Clinical.sln")) && Directory.Exists(fixtures))
                return Directory
                    .GetFiles(fixtures, pattern)
                    .Order(StringComparer.Ordinal)
                    .Select(File.ReadAllBytes)
                    .ToList();
        }
        return [];
    }
}
