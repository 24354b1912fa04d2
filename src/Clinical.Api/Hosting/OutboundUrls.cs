namespace Clinical.Api.Hosting;

/// <summary>
/// The one matcher for outbound URLs against an allow-list (SSRF defence). An entry such as
/// `https://ehr.example/fhir` allows a URL when the origin is the same (scheme, host and port, RFC 6454) and the
/// entry's path segments are a prefix of the URL's, so `https://ehr.example/fhir/Patient` passes and
/// `https://ehr.example/fhir-admin`, `https://ehr.example.evil/fhir` or `https://ehr.example@evil/fhir` do not.
/// An entry with no path (`https://files.example`) allows its whole origin. A URL with user information, or with a
/// path segment that hides a slash or backslash once unescaped (`%2f`, `%5c`), is never allowed: a server could read
/// it as another path than the one matched. (System.Uri itself decodes `%2e` and removes dot segments, so the path
/// checked is the path sent.)
/// </summary>
public static class OutboundUrls
{
    /// <summary>
    /// Whether a configured entry can be matched: an absolute http(s) URL with a host and no user information, query
    /// or fragment, whose path has no dot or escaped slash segments. Configuration binding checks each entry with
    /// this, so that a typo stops the start-up instead of silently allowing nothing (or more than meant).
    /// </summary>
    public static bool IsValidEntry(string? entry) =>
        Uri.TryCreate(entry, UriKind.Absolute, out var url)
        && url.Scheme is "http" or "https"
        && url.Host.Length > 0
        && url.Query.Length == 0
        && url.Fragment.Length == 0
        && IsPlain(url);

    /// <summary>True when <paramref name="url"/> matches one of the entries (absolute http(s) URLs).</summary>
    public static bool IsAllowed(Uri url, IEnumerable<string> allowList) =>
        allowList.Any(entry => Uri.TryCreate(entry, UriKind.Absolute, out var allowed) && Matches(url, allowed));

    /// <summary>Same origin, and the allowed URL's path segments are a prefix of the URL's.</summary>
    public static bool Matches(Uri url, Uri allowed)
    {
        if (!SameOrigin(url, allowed) || !IsPlain(url))
            return false;
        var segments = Segments(url);
        var prefix = Segments(allowed);
        return prefix.Length <= segments.Length && segments.AsSpan(0, prefix.Length).SequenceEqual(prefix);
    }

    /// <summary>
    /// Scheme, host and port equal (default ports included); http and https only; no user information.
    /// </summary>
    public static bool SameOrigin(Uri url, Uri other) =>
        url.IsAbsoluteUri
        && other.IsAbsoluteUri
        && url.Scheme is "http" or "https"
        && string.Equals(url.Scheme, other.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(url.IdnHost, other.IdnHost, StringComparison.OrdinalIgnoreCase)
        && url.Port == other.Port
        && url.UserInfo.Length == 0;

    private static bool IsPlain(Uri url) =>
        url.UserInfo.Length == 0
        && url.AbsolutePath.Split('/')
            .Select(Uri.UnescapeDataString)
            .All(s => s is not ("." or "..") && !s.Contains('/', StringComparison.Ordinal) && !s.Contains('\\'));

    private static string[] Segments(Uri url) => url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
