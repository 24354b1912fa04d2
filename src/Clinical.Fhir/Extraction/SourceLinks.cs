using Clinical.Fhir.Parsing;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Extraction;

/// <summary>
/// Where one source resource lives, as far as the input says: its absolute URL (an absolute Bundle fullUrl, else
/// meta.source or the input's server base joined with Type/id), else one of its business identifiers.
/// </summary>
public sealed record SourceLink(string Type, string? Url, Identifier? Identifier, string Key);

/// <summary>
/// How emitted resources refer to the resources they were drawn from. Records key their sources internally as
/// "Type/id" (or a fullUrl); written as a literal relative reference that key would resolve against this service's
/// own base inside our collection Bundle (FHIR R4 §3.3.1, bundle reference resolution), not against the EHR it came
/// from. So a source is referenced by its absolute URL when the input says where it came from, and by
/// Reference.identifier otherwise; a resource with neither gets a logical reference under
/// <see cref="SourceKeySystem"/> holding the key as it was read, which points nowhere rather than at this service.
/// </summary>
public sealed class SourceLinks
{
    /// <summary>The identifier system for a source known only by its id or fullUrl in the input it came in.</summary>
    public const string SourceKeySystem = "https://hf-screening.invalid/fhir/sid/source-key";

    public static readonly SourceLinks Empty = new();

    private readonly Dictionary<string, SourceLink> _links = new(StringComparer.Ordinal);

    public IReadOnlyCollection<SourceLink> All => _links.Values;

    /// <summary>
    /// Records where the accepted resource known by <paramref name="key"/> lives. <paramref name="serverBase"/> is
    /// the FHIR base the input was fetched from when known (a CDS hook's fhirServer).
    /// </summary>
    public void Add(string key, AcceptedResource accepted, Uri? serverBase)
    {
        if (_links.ContainsKey(key))
            return;
        var resource = accepted.Resource;
        _links[key] = new SourceLink(resource.TypeName, UrlOf(accepted, serverBase), IdentifierOf(resource), key);
    }

    public SourceLink? Find(string key) => _links.GetValueOrDefault(key);

    /// <summary>
    /// The subject of an emitted resource: the patient's absolute URL when known; else "Patient/id" (the key this
    /// service's searches and the EHR's write-back use) with the patient's identifier beside it when it has one; a
    /// patient without an id is referenced by identifier, never by the urn:uuid it had in an input Bundle we do not
    /// re-emit.
    /// </summary>
    public ResourceReference Subject(string key)
    {
        var reference = Reference(key);
        if (reference.Reference is null && ReferenceText.PatientKey(key) == key)
            reference.Reference = key;
        return reference;
    }

    /// <summary>The reference an emitted resource uses for the source known by <paramref name="key"/>.</summary>
    public ResourceReference Reference(string key, string? display = null)
    {
        var link = Find(key);
        if (link?.Url is { } url)
            return new ResourceReference(url, display) { Type = link.Type };
        if (link?.Identifier is { } identifier)
            return new ResourceReference
            {
                Type = link.Type,
                Identifier = (Identifier)identifier.DeepCopy(),
                Display = display,
            };
        var type = link?.Type ?? ReferenceText.TypeAndId(key)?.Type;
        if (Uri.TryCreate(key, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
            return new ResourceReference(key, display) { Type = type };
        return new ResourceReference
        {
            Type = type,
            Identifier = new Identifier(SourceKeySystem, key),
            Display = display,
        };
    }

    private static string? UrlOf(AcceptedResource accepted, Uri? serverBase)
    {
        if (IsHttp(accepted.FullUrl))
            return accepted.FullUrl;
        var resource = accepted.Resource;
        if (string.IsNullOrEmpty(resource.Id))
            return null;
        var source = resource.Meta?.Source;
        var fragment = source?.IndexOf('#', StringComparison.Ordinal) ?? -1;
        var metaBase = fragment >= 0 ? source![..fragment] : source;
        var own = $"/{resource.TypeName}/{resource.Id}";
        // meta.source names the source system (R4 Meta.source); some systems write the resource's own URL there.
        if (IsHttp(metaBase) && metaBase!.EndsWith(own, StringComparison.Ordinal))
            return metaBase;
        var root = IsHttp(metaBase) ? metaBase : serverBase?.ToString();
        return root is null ? null : root.TrimEnd('/') + own;
    }

    private static bool IsHttp(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static Identifier? IdentifierOf(Resource resource)
    {
        var identifiers = resource switch
        {
            IIdentifiable<List<Identifier>> many => many.Identifier,
            IIdentifiable<Identifier> one when one.Identifier is not null => [one.Identifier],
            _ => [],
        };
        return identifiers.FirstOrDefault(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value))
            ?? identifiers.FirstOrDefault(i => !string.IsNullOrEmpty(i.Value));
    }
}
