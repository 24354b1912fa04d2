namespace Clinical.Tests;

/// <summary>The one way tests reach files under fixtures/ (found by walking up to Clinical.sln).</summary>
internal static class FixtureFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Clinical.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("Clinical.sln not found above the test output folder.");
    });

    public static string RepositoryRoot => Root.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root.Value, "fixtures", .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    public const string DiagnosedHeartFailure = "ic-diagnosticada.json";
    public const string PossibleUndiagnosedHeartFailure = "posible-ic-no-diagnosticada.json";
    public const string NoSuspicion = "sin-sospecha.json";
    public const string CatalanSuspicion = "sospita-ic-catala.json";

    public static string Bundle(string name) => Read("bundles", name);

    /// <summary>
    /// The shared, externally sourced samples beside the checkout (../shared/fhir-samples; CI clones with
    /// shared/ beside it). CLINICAL_SHARED_DIR overrides the location.
    /// </summary>
    public static string SharedSamples(params string[] parts) =>
        Path.Combine([
            Environment.GetEnvironmentVariable("CLINICAL_SHARED_DIR")
                ?? Path.GetFullPath(Path.Combine(Root.Value, "..", "shared")),
            "fhir-samples",
            .. parts,
        ]);

    public static bool SharedSamplesPresent => Directory.Exists(SharedSamples());

    public static string SharedSamplesMissing =>
        $"The shared FHIR samples are not at {SharedSamples()} (expected beside the checkout, as in CI; "
        + "or set CLINICAL_SHARED_DIR).";

    /// <summary>
    /// A CDS Hooks patient-view request built from a bundle fixture (fixtures/scripts/cds_hooks_requests.py).
    /// </summary>
    public static string PatientView(string bundleName) => Read("cds-hooks", "patient-view-" + bundleName);

    /// <summary>
    /// A shared CDS Hooks sample (../shared/fhir-samples/cds-hooks beside the repository; present in CI).
    /// </summary>
    public static string SharedCdsSample(string name) => File.ReadAllText(SharedSamples("cds-hooks", name));
}
