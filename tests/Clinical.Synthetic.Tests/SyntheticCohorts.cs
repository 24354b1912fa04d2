using System.Security.Cryptography;
using Clinical.Synthetic;

namespace Clinical.Synthetic.Tests;

/// <summary>Small cohorts shared by the synthetic tests, generated once per test run.</summary>
internal static class SyntheticCohorts
{
    public static readonly CohortOptions Enriched = new(Patients: 240, Seed: 7, HfShare: 0.4);

    private static readonly Lazy<IReadOnlyList<SyntheticPatient>> EnrichedPatients = new(() =>
        new CohortGenerator(Enriched).Patients().ToList()
    );

    private static readonly Lazy<CohortSummary> PopulationSummary = new(() =>
        new CohortGenerator(new CohortOptions(Patients: 2000, Seed: 11)).Summarise()
    );

    private static readonly Lazy<string> NdjsonFolder = new(() =>
        Write(Enriched with { Patients = 80, Format = CohortFormat.Ndjson })
    );

    private static readonly Lazy<string> BundleFolder = new(() =>
        Write(Enriched with { Patients = 40, Format = CohortFormat.Bundles })
    );

    /// <summary>240 patients, 40 % with HF, urn:uuid references.</summary>
    public static IReadOnlyList<SyntheticPatient> EnrichedInMemory => EnrichedPatients.Value;

    /// <summary>2,000 patients at the epidemiological rates.</summary>
    public static CohortSummary Population => PopulationSummary.Value;

    public static string Ndjson => NdjsonFolder.Value;

    public static string Bundles => BundleFolder.Value;

    public static string Write(CohortOptions options)
    {
        var directory = Path.Combine(Path.GetTempPath(), "cohort-tests", Guid.NewGuid().ToString("N"));
        new CohortGenerator(options).WriteTo(directory);
        return directory;
    }

    /// <summary>Writes a cohort, hashes its folder and deletes it.</summary>
    public static string WriteAndHash(CohortOptions options)
    {
        var directory = Write(options);
        try
        {
            return HashFolder(directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>SHA-256 over every file's relative path and bytes, in ordinal path order.</summary>
    public static string HashFolder(string directory)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (
            var file in Directory
                .EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
        )
        {
            sha.AppendData(
                System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(directory, file).Replace('\\', '/'))
            );
            sha.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
