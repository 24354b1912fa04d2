namespace Clinical.Api.Features.CdsHooks;

/// <summary>Settings under "Clinical:CdsHooks".</summary>
public sealed class CdsHooksOptions
{
    public const string Section = "Clinical:CdsHooks";

    /// <summary>SMART launch URL of the review dashboard; the card links to it for the patient (type smart).</summary>
    public string DashboardUrl { get; set; } = "https://hf-screening.invalid/dashboard/launch";

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
