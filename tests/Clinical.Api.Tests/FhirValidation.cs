using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace Clinical.Api.Tests;

/// <summary>
/// Validates what the service emits against the base R4 profiles with Firely's validator (Firely.Fhir.Validation.R4,
/// profiles from specification.zip copied beside this assembly): cardinality, types, bindings that can be checked
/// locally, and the FHIRPath invariants of every element. Terminology outside the core package (LOINC, SNOMED CT) is
/// not resolvable offline, so only errors count; warnings are left for a reader.
/// </summary>
public static class FhirValidation
{
    private static readonly Lazy<Validator> Shared = new(() =>
    {
        var source = new CachedResolver(
            ZipSource.CreateValidationSource(Path.Combine(AppContext.BaseDirectory, "specification.zip"))
        );
        return new Validator(source, new LocalTerminologyService(source));
    });

    private static int _validated;

    /// <summary>How many resources this test run has validated (a Bundle and each of its entries count).</summary>
    public static int Validated => _validated;

    /// <summary>The errors (severity error or fatal) Firely reports for the resource, one line each.</summary>
    public static IReadOnlyList<string> Errors(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        Interlocked.Add(ref _validated, 1 + (resource is Bundle b ? b.Entry.Count(e => e.Resource is not null) : 0));
        OperationOutcome outcome;
        lock (Shared)
            outcome = Shared.Value.Validate(resource);
        return outcome
            .Issue.Where(i =>
                i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal
            )
            .Select(i => $"{resource.TypeName}/{resource.Id}: {string.Join(", ", i.Expression)}: {i.Details?.Text}")
            .ToList();
    }

    /// <summary>Asserts Firely reports no error on any of the resources (a Bundle is checked with its entries).</summary>
    public static void AssertValid(params Resource[] resources)
    {
        var errors = resources.SelectMany(Errors).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
