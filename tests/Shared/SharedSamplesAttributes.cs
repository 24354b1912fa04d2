namespace Clinical.Tests;

/// <summary>
/// A test over the externally sourced samples in ../shared/fhir-samples (see <see cref="FixtureFiles.SharedSamples"/>).
/// It runs wherever they are (CI clones with shared/ beside the checkout) and is reported as skipped, with the
/// place it looked, where they are not, so a clone elsewhere neither fails nor passes it silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SharedSamplesFactAttribute : FactAttribute
{
    public SharedSamplesFactAttribute()
    {
        if (!FixtureFiles.SharedSamplesPresent)
            Skip = FixtureFiles.SharedSamplesMissing;
    }
}

/// <inheritdoc cref="SharedSamplesFactAttribute"/>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SharedSamplesTheoryAttribute : TheoryAttribute
{
    public SharedSamplesTheoryAttribute()
    {
        if (!FixtureFiles.SharedSamplesPresent)
            Skip = FixtureFiles.SharedSamplesMissing;
    }
}
