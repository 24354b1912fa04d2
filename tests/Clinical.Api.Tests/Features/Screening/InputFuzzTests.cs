using Clinical.Fuzz;
using Clinical.Fuzz.Targets;

namespace Clinical.Api.Tests.Features.Screening;

/// <summary>
/// The FHIR reader and Bulk reader fuzz targets for a few seconds in every test run, as the JWT one is
/// (Hosting/BearerTokenFuzzTests). Longer runs, in-process or under AFL++: fuzz/Clinical.Fuzz/README.md.
/// </summary>
public sealed class InputFuzzTests
{
    // The seeds (fixture bundles among them) always run whole; on a busy machine they can take most of the budget.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    [Fact]
    public void Given_generated_and_mutated_FHIR_JSON_for_seconds_When_read_and_scored_Then_only_located_refusals()
    {
        var report = FuzzRunner.Run(FhirReaderTarget.Target, Budget, seed: 20260630);

        Assert.True(report.Failure is null, report.Failure?.ToString());
        Assert.True(report.Executions >= FhirReaderTarget.Target.Seeds.Count, $"only {report.Executions} inputs ran");
    }

    [Fact]
    public void Given_generated_and_mutated_NDJSON_for_seconds_When_read_by_patient_Then_no_throw_and_no_bucket_left()
    {
        var report = FuzzRunner.Run(BulkReaderTarget.Target, Budget, seed: 20260630);

        Assert.True(report.Failure is null, report.Failure?.ToString());
        Assert.True(report.Executions >= BulkReaderTarget.Target.Seeds.Count, $"only {report.Executions} inputs ran");
    }
}
