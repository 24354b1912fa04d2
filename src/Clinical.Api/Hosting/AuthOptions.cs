namespace Clinical.Api.Hosting;

/// <summary>Settings under "Clinical:Auth": who may call, and how their tokens are checked.</summary>
public sealed class AuthOptions
{
    public const string Section = "Clinical:Auth";

    /// <summary>
    /// This service's public base URL (e.g. https://hf.example.org). Audiences are exact URLs under it.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// The allow-list: token issuers (EHRs as CDS clients, SMART authorization servers) and where their public keys
    /// are.
    /// </summary>
    public List<TrustedIssuer> Issuers { get; set; } = [];

    /// <summary>Tolerance on exp / iat / nbf.</summary>
    public int ClockSkewSeconds { get; set; } = 60;

    /// <summary>Longest accepted exp − iat.</summary>
    public int MaxTokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>How long keys fetched from a JWKS URL are used before being fetched again.</summary>
    public int JwksRefreshMinutes { get; set; } = 10;

    /// <summary>Time limit for fetching a JWKS URL.</summary>
    public double JwksTimeoutSeconds { get; set; } = 5;

    /// <summary>Development only: generate a signing key at startup and trust it (refused in Production).</summary>
    public bool DevelopmentKey { get; set; }

    public const string DevelopmentIssuer = "urn:clinical:development-issuer";
}

public sealed class TrustedIssuer
{
    public string Issuer { get; set; } = "";

    /// <summary>A JWKS JSON file with the issuer's public keys.</summary>
    public string? JwksFile { get; set; }

    /// <summary>A JWKS URL (https), fetched with a timeout and cached.</summary>
    public string? JwksUrl { get; set; }
}

/// <summary>Settings under "Clinical:RateLimit": requests per client per window.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Clinical:RateLimit";

    public int PermitsPerWindow { get; set; } = 600;

    public int WindowSeconds { get; set; } = 60;
}
