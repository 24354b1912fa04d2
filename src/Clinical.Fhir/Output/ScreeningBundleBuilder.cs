using Clinical.Fhir.Parsing;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Output;

/// <summary>
/// One collection Bundle for a screening run: the model Device once, then each patient's resources, then an
/// OperationOutcome if any input had problems.
/// </summary>
public static class ScreeningBundleBuilder
{
    public static Bundle Build(
        ModelIdentity model,
        IEnumerable<ScreeningResources> screenings,
        IReadOnlyList<InputIssue> issues,
        DateTimeOffset timestamp
    )
    {
        var device = ScreeningResourceBuilder.Device(model);
        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString(),
            Type = Bundle.BundleType.Collection,
            Timestamp = timestamp,
        };
        bundle.Entry.Add(Entry(device));
        foreach (var screening in screenings)
        foreach (var resource in screening.All())
            bundle.Entry.Add(Entry(resource));
        if (issues.Count > 0)
            bundle.Entry.Add(Entry(OperationOutcomeBuilder.From(issues), $"urn:uuid:{Guid.NewGuid()}"));
        return bundle;
    }

    private static Bundle.EntryComponent Entry(Resource resource, string? fullUrl = null) =>
        new()
        {
            FullUrl = fullUrl ?? $"https://hf-screening.invalid/fhir/{resource.TypeName}/{resource.Id}",
            Resource = resource,
        };
}
