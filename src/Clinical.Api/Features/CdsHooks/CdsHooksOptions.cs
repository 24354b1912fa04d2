namespace Clinical.Api.Features.CdsHooks;

/// <summary>Settings under "Clinical:CdsHooks".</summary>
public sealed class CdsHooksOptions
{
    public const string Section = "Clinical:CdsHooks";

    /// <summary>
    /// SMART launch URL of the review dashboard, when it is served elsewhere; unset, the cards link to this service's
    /// own launch endpoint (<see cref="LaunchUrl"/>).
    /// </summary>
    public string? DashboardUrl { get; set; }

    /// <summary>This service's public base URL (Clinical:Auth:PublicBaseUrl), for the launch URL.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>What the card's smart link opens: DashboardUrl, else {PublicBaseUrl}/dashboard/launch.</summary>
    public string LaunchUrl =>
        DashboardUrl
        ?? $"{(PublicBaseUrl ?? "https://hf-screening.invalid").TrimEnd('/')}{Dashboard.Launch.SmartLaunch.Path}";

    /// <summary>A page describing the screening model, shown as the card's source url (left out when empty).</summary>
    public string? SourceUrl { get; set; }

    /// <summary>
    /// FHIR servers (URL prefixes) the service may call back with the EHR's access token; others are never contacted.
    /// </summary>
    public List<string> AllowedFhirServers { get; set; } = [];

    /// <summary>Time limit for each call to the EHR's FHIR server.</summary>
    public double FhirServerTimeoutSeconds { get; set; } = 3;

    /// <summary>How long the cards for one exact input stay cached.</summary>
    public double CacheMinutes { get; set; } = 10;
}
