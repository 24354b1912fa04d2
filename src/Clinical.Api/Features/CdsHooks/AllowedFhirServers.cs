using Clinical.Api.Hosting;

namespace Clinical.Api.Features.CdsHooks;

/// <summary>
/// The EHR FHIR servers the hook may call back with the EHR's access token (Clinical:CdsHooks:AllowedFhirServers),
/// matched by <see cref="OutboundUrls"/>: the exact origin (scheme, host, port) of an allowed base and its path
/// segments as a prefix, so "/fhir" admits "/fhir" and "/fhir/r4", never "/fhir-evil" nor "/fhir/../admin"; user info
/// ("http://allowed@elsewhere/") is refused, and so are a query or fragment, which a FHIR base never has. A string
/// prefix compare admitted all three (issue 16). A malformed entry stops the start-up, naming it.
/// </summary>
public sealed class AllowedFhirServers
{
    private readonly IReadOnlyList<string> _bases;

    public AllowedFhirServers(CdsHooksOptions options)
    {
        for (var i = 0; i < options.AllowedFhirServers.Count; i++)
        {
            if (!OutboundUrls.IsValidEntry(options.AllowedFhirServers[i]))
                throw new InvalidOperationException(
                    $"Clinical:CdsHooks:AllowedFhirServers:{i} ('{options.AllowedFhirServers[i]}') is not an absolute "
                        + "http(s) URL without user info, query or fragment."
                );
        }
        _bases = [.. options.AllowedFhirServers];
    }

    /// <summary>The base to call, normalised and ending in '/', or null when the server is not allowed.</summary>
    public Uri? Match(string? fhirServer) =>
        OutboundUrls.IsValidEntry(fhirServer)
        && new Uri(fhirServer!, UriKind.Absolute) is var server
        && OutboundUrls.IsAllowed(server, _bases)
            ? new Uri(server.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/")
            : null;

    /// <summary>Whether a URL about to be requested lies under an allowed base (a template cannot climb out).</summary>
    public bool Allows(Uri request) => OutboundUrls.IsAllowed(request, _bases);
}
