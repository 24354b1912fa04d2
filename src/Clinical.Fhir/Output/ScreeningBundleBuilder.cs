using Clinical.Fhir.Parsing;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Output;

/// <summary>
/// One collection Bundle for a screening run: the model Device once, then each patient's resources, then an
/// OperationOutcome if any input had problems. With nobody screened it holds the OperationOutcome alone.
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
        var screened = screenings.ToList();
        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString(),
            Type = Bundle.BundleType.Collection,
            Timestamp = timestamp,
        };
        if (screened.Count > 0)
            bundle.Entry.Add(Entry(ScreeningResourceBuilder.Device(model)));
        foreach (var screening in screened)
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
