namespace Clinical.Api.Features.CdsHooks;

/// <summary>
/// The EHR FHIR servers the hook may call back with the EHR's access token (Clinical:CdsHooks:AllowedFhirServers).
/// A request's fhirServer is allowed only when, once parsed and normalised (RFC 3986 §6: case of scheme and host,
/// default port, dot segments removed), it has the exact origin (scheme, host, port) of an allowed base and its path
/// is that base's path or lies under it segment by segment: "/fhir" admits "/fhir" and "/fhir/r4", never "/fhir-evil"
/// nor "/fhir/../admin". User info ("http://allowed@elsewhere/") is refused outright, and so are a query or fragment,
/// which a FHIR base never has. A string prefix compare admitted all three; see issue 16.
/// </summary>
public sealed class AllowedFhirServers
{
    private readonly IReadOnlyList<Uri> _bases;

    public AllowedFhirServers(CdsHooksOptions options)
    {
        _bases = options
            .AllowedFhirServers.Select(
                (configured, i) =>
                    Normalise(configured)
                    ?? throw new InvalidOperationException(
                        $"Clinical:CdsHooks:AllowedFhirServers:{i} ('{configured}') is not an absolute http(s) URL "
                            + "without user info, query or fragment."
                    )
            )
            .ToList();
    }

    /// <summary>The normalised base to call (ending in '/'), or null when the server is not allowed.</summary>
    public Uri? Match(string? fhirServer) =>
        Normalise(fhirServer) is { } candidate && _bases.Any(allowed => Covers(allowed, candidate)) ? candidate : null;

    /// <summary>Whether a URL about to be requested lies under an allowed base (a template cannot climb out).</summary>
    public bool Allows(Uri request) =>
        request.IsAbsoluteUri
        && string.IsNullOrEmpty(request.UserInfo)
        && _bases.Any(allowed => Covers(allowed, request));

    private static Uri? Normalise(string? text)
    {
        if (
            !Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(uri.UserInfo)
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment)
            || string.IsNullOrEmpty(uri.Host)
            || HasDotSegment(uri.AbsolutePath)
        )
            return null;
        return new UriBuilder(uri.Scheme, uri.IdnHost, uri.Port, uri.AbsolutePath.TrimEnd('/') + "/").Uri;
    }

    // Uri removes "." and ".." segments, but not their percent-encoded forms (%2e%2e), which a server may decode.
    private static bool HasDotSegment(string path) =>
        path.Split('/')
            .Select(segment => segment.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase))
            .Any(segment => segment is "." or "..")
        || path.Contains("%2f", StringComparison.OrdinalIgnoreCase)
        || path.Contains("%5c", StringComparison.OrdinalIgnoreCase)
        || path.Contains('\\', StringComparison.Ordinal);

    private static bool Covers(Uri allowed, Uri candidate) =>
        string.Equals(allowed.Scheme, candidate.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(allowed.IdnHost, candidate.IdnHost, StringComparison.OrdinalIgnoreCase)
        && allowed.Port == candidate.Port
        && !HasDotSegment(candidate.AbsolutePath)
        && candidate.AbsolutePath.StartsWith(allowed.AbsolutePath, StringComparison.Ordinal);
}
