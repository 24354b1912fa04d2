namespace Clinical.Api.Features.Dashboard;

/// <summary>
/// Settings under "Clinical:Dashboard": sessions, the SMART launch allow-list, standalone OpenID Connect.
/// </summary>
public sealed class DashboardOptions
{
    public const string Section = "Clinical:Dashboard";

    /// <summary>A session ends after this many minutes without a request (sliding).</summary>
    public int SessionMinutes { get; set; } = 20;

    /// <summary>Time limit for each call to an authorization server or an EHR's FHIR server.</summary>
    public double HttpTimeoutSeconds { get; set; } = 5;

    /// <summary>SMART App Launch (EHR launch): the FHIR servers (iss) that may launch the dashboard.</summary>
    public List<SmartIssuer> SmartIssuers { get; set; } = [];

    /// <summary>Scopes asked for at an EHR launch.</summary>
    public string SmartScope { get; set; } = "launch openid fhirUser patient/*.rs user/ServiceRequest.c";

    /// <summary>
    /// Standalone sign-in for the worklist: an OpenID Connect provider (none: no standalone sign-in).
    /// </summary>
    public OidcProvider? Oidc { get; set; }
}

/// <summary>An EHR FHIR base URL allowed to launch the dashboard, and this app's client id at its server.</summary>
public sealed class SmartIssuer
{
    public string Iss { get; set; } = "";

    public string ClientId { get; set; } = "";
}

/// <summary>The organisation's OpenID Connect provider for standalone sign-in.</summary>
public sealed class OidcProvider
{
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string? ClientSecret { get; set; }

    /// <summary>Name shown on the sign-in button.</summary>
    public string DisplayName { get; set; } = "OpenID Connect";

    /// <summary>Only for a provider on loopback in tests or development.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
