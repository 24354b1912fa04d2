using System.Collections;
using System.Reflection;
using Firely.Fhir.Validation;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace Clinical.Api.Tests;

/// <summary>
/// Validates what the service emits against the base R4 profiles with Firely's validator (Firely.Fhir.Validation.R4,
/// profiles from specification.zip copied beside this assembly): cardinality, types, bindings that can be checked
/// locally, and the FHIRPath invariants of every element. Terminology outside the core package (LOINC, SNOMED CT) is
/// not resolvable offline, so only errors count; warnings are left for a reader. Firely does not check the target
/// type of a reference it cannot resolve (ServiceRequest.reasonReference → RiskAssessment passes), so the helper also
/// checks every reference's type, from its literal or Reference.type, against the element's allowed targets.
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
            .Concat(ReferenceTargetErrors(resource, resource.TypeName))
            .ToList();
    }

    /// <summary>References whose type is not among the targets R4 allows for their element.</summary>
    public static IEnumerable<string> ReferenceTargetErrors(Base element, string path)
    {
        foreach (var property in element.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var fhir = property.GetCustomAttributes<FhirElementAttribute>().FirstOrDefault();
            if (fhir is null || property.GetIndexParameters().Length > 0)
                continue;
            var allowed = property.GetCustomAttributes<ReferencesAttribute>().FirstOrDefault()?.Resources;
            List<Base> children = property.GetValue(element) switch
            {
                Base single => [single],
                IEnumerable many and not string => many.OfType<Base>().ToList(),
                _ => [],
            };
            foreach (var child in children)
            {
                var at = $"{path}.{fhir.Name}";
                if (
                    child is ResourceReference reference
                    && allowed is { Length: > 0 }
                    && !allowed.Contains("Resource")
                    && TargetType(reference) is { } type
                    && !allowed.Contains(type)
                )
                    yield return $"{at}: a reference to {type}, where R4 allows {string.Join(", ", allowed)}.";
                foreach (var error in ReferenceTargetErrors(child, at))
                    yield return error;
            }
        }
    }

    private static string? TargetType(ResourceReference reference)
    {
        if (!string.IsNullOrEmpty(reference.Type))
            return reference.Type;
        if (reference.Reference is not { Length: > 0 } literal || literal.StartsWith('#') || literal.StartsWith("urn:"))
            return null;
        var parts = literal.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var history = Array.IndexOf(parts, "_history");
        if (history >= 0)
            parts = parts[..history];
        return parts.Length >= 2 ? parts[^2] : null;
    }

    /// <summary>Asserts no error on any of the resources (a Bundle is checked with its entries).</summary>
    public static void AssertValid(params Resource[] resources)
    {
        var errors = resources.SelectMany(Errors).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
