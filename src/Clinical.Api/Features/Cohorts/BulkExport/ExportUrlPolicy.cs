using Clinical.Api.Hosting;

namespace Clinical.Api.Features.Cohorts.BulkExport;

/// <summary>
/// Where one export may send requests: the FHIR base's own origin, and the origins in
/// Clinical:BulkExport:AllowedOrigins (an authorization server, file storage). Every URL the EHR hands back (the
/// status URL, the token endpoint, each file and each redirect) is checked before it is contacted, so a manifest
/// cannot point the client, or its access token, at another host (SSRF). The base itself was checked against
/// Clinical:BulkExport:AllowedFhirServers before the export started.
/// </summary>
public sealed class ExportUrlPolicy(Uri fhirBase, IReadOnlyList<string> allowedOrigins)
{
    private readonly Uri _origin = new(fhirBase.GetLeftPart(UriPartial.Authority) + "/");

    /// <summary>The base with a trailing slash, so that relative URLs (.well-known/…) resolve beneath it.</summary>
    public Uri FhirBase { get; } = new(fhirBase.AbsoluteUri.TrimEnd('/') + "/");

    public bool Allows(Uri url) => OutboundUrls.Matches(url, _origin) || OutboundUrls.IsAllowed(url, allowedOrigins);

    /// <summary>The URL if allowed; otherwise a failure that names what it was and says it was not contacted.</summary>
    public Uri Check(Uri url, string what) =>
        Allows(url)
            ? url
            : throw new BulkExportException(
                $"The EHR gave {what} {url}, which is neither on the FHIR server's origin ({_origin}) nor in "
                    + "Clinical:BulkExport:AllowedOrigins; it was not contacted."
            );

    /// <summary>
    /// Whether the access token may go to this URL: it names the EHR's origin or an allow-listed one.
    /// </summary>
    public bool SameOriginAsBase(Uri url) => OutboundUrls.SameOrigin(url, _origin);
}
