namespace Clinical.Api.Features.Cohorts.BulkExport;

/// <summary>
/// Settings under "Clinical:BulkExport": which EHRs the Bulk Data client may call, how it authenticates (SMART
/// Backend Services) and how patient it is with a slow or flaky server.
/// </summary>
public sealed class BulkExportOptions
{
    public const string Section = "Clinical:BulkExport";

    /// <summary>
    /// FHIR base URLs an export may be started from (exact origin + path-segment prefix); others are refused.
    /// </summary>
    public List<string> AllowedFhirServers { get; set; } = [];

    /// <summary>
    /// Other origins (or URL prefixes) the EHR may send the client to: its authorization server's token endpoint, the
    /// storage its output files are on. The FHIR base's own origin is always allowed.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>The client id registered with the EHR; none = the server is called without a token.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The client's private key: PEM (PKCS#8, SEC1 or PKCS#1) or JWK with its private part; EC P-384 or RSA.
    /// </summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>
    /// The `kid` of that key in the client's registered JWKS (a JWK's own `kid` is used when this is empty).
    /// </summary>
    public string? KeyId { get; set; }

    /// <summary>The client's JWKS URL, sent as `jku` when set (it must be the one registered with the EHR).</summary>
    public string? JwksUrl { get; set; }

    /// <summary>SMART v2 scopes requested; an EHR that speaks only v1 takes `system/*.read`.</summary>
    public string Scope { get; set; } = "system/*.rs";

    /// <summary>Token endpoint, when the EHR has no /.well-known/smart-configuration to discover it from.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>
    /// Time limit of each request (kick-off, status, token); a download is limited by <see cref="IdleSeconds"/>.
    /// </summary>
    public double RequestTimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// A download that receives nothing for this long is abandoned and retried from where it stopped.
    /// </summary>
    public double IdleSeconds { get; set; } = 120;

    /// <summary>
    /// Longest wait between two status requests, whatever Retry-After asks (some EHRs ask for hours).
    /// </summary>
    public double MaxPollSeconds { get; set; } = 300;

    /// <summary>
    /// How long an export may stay in progress before the client gives up (the job is kept for a rerun).
    /// </summary>
    public double MaxWaitHours { get; set; } = 48;

    /// <summary>Attempts per request on transient failures (429, 5xx, network) without progress in between.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Files downloaded at once.</summary>
    public int ParallelDownloads { get; set; } = 4;
}

public static class BulkExportServices
{
    public const string HttpClientName = "bulk-export";

    public static IServiceCollection AddBulkExportClient(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(BulkExportOptions.Section).Get<BulkExportOptions>() ?? new();
        foreach (
            var (key, entries) in new[]
            {
                ("AllowedFhirServers", options.AllowedFhirServers),
                ("AllowedOrigins", options.AllowedOrigins),
            }
        )
            for (var i = 0; i < entries.Count; i++)
                if (!Hosting.OutboundUrls.IsValidEntry(entries[i]))
                    throw new InvalidOperationException(
                        $"{BulkExportOptions.Section}:{key}:{i} ('{entries[i]}') is not an absolute http(s) URL "
                            + "without user info, query or fragment."
                    );
        services.AddSingleton(options);
        services.AddSingleton<BackendServicesToken>();
        services.AddSingleton<BulkDataClient>();
        // Redirects are followed by hand so that every hop passes the URL policy; ranges need the bytes as sent.
        services
            .AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() =>
                new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    AutomaticDecompression = System.Net.DecompressionMethods.None,
                    UseCookies = false,
                    ConnectTimeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds),
                }
            );
        return services;
    }
}
