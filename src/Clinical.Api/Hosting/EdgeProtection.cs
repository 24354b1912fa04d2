using System.Diagnostics;
using System.Threading.RateLimiting;
using Clinical.Api.Errors;
using Clinical.Fhir.Parsing;

namespace Clinical.Api.Hosting;

/// <summary>
/// What sits in front of the endpoints: CORS for browser EHRs (only the configured origins), a per-client rate limit,
/// request metrics and the request log.
/// </summary>
public static partial class EdgeProtection
{
    /// <summary>The request log's category; ASP.NET Core's own request lines are off (see ServiceHost).</summary>
    public const string RequestLogCategory = "Clinical.Api.Requests";

    public const string CorsPolicy = "ehr-origins";

    public static IServiceCollection AddClinicalEdgeProtection(
        this IServiceCollection services,
        IConfiguration configuration
    )
    {
        var origins = configuration.GetSection("Clinical:Cors:AllowedOrigins").Get<string[]>() ?? [];
        services.AddCors(cors =>
            cors.AddPolicy(
                CorsPolicy,
                policy =>
                {
                    if (origins.Length > 0)
                        policy
                            .WithOrigins(origins)
                            .WithHeaders("Authorization", "Content-Type", "Accept")
                            .WithMethods("GET", "POST", "PATCH");
                }
            )
        );
        var limits =
            configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Path.StartsWithSegments("/healthz") || http.Request.Path.StartsWithSegments("/readyz")
                    ? RateLimitPartition.GetNoLimiter("health")
                    : RateLimitPartition.GetFixedWindowLimiter(
                        ClientKey(http),
                        _ => new FixedWindowRateLimiterOptions
                        {
                            PermitLimit = limits.PermitsPerWindow,
                            Window = TimeSpan.FromSeconds(limits.WindowSeconds),
                            QueueLimit = 0,
                        }
                    )
            );
            limiter.OnRejected = (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = limits.WindowSeconds.ToString(
                    System.Globalization.CultureInfo.InvariantCulture
                );
                return new ValueTask(
                    OperationOutcomeExceptionHandler.WriteAsync(
                        context.HttpContext,
                        StatusCodes.Status429TooManyRequests,
                        [
                            new InputIssue(
                                IssueSeverity.Error,
                                "throttled",
                                $"Too many requests from this client: at most {limits.PermitsPerWindow} per "
                                    + $"{limits.WindowSeconds} s."
                            ),
                        ],
                        cancellationToken
                    )
                );
            };
        });
        return services;
    }

    /// <summary>
    /// The authenticated client (issuer + subject), or the remote address before authentication succeeds.
    /// </summary>
    private static string ClientKey(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true
            ? ClinicalAuthentication.Caller(http.User)
            : $"ip:{http.Connection.RemoteIpAddress}";

    public static void UseClinicalCors(this WebApplication app) => app.UseCors(CorsPolicy);

    /// <summary>
    /// Metrics and one log line per request, both by route template ("/fhir/Flag/{id}/$close"), never the path or the
    /// query: they carry patient ids (?subject=Patient/123), which must not reach logs.
    /// </summary>
    public static void UseRequestMetrics(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<ClinicalMetrics>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(RequestLogCategory);
        app.Use(
            async (http, next) =>
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await next(http);
                }
                finally
                {
                    var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    metrics.Request(route, http.Response.StatusCode, elapsed);
                    LogRequest(
                        log,
                        http.Request.Method,
                        route,
                        http.Response.StatusCode,
                        elapsed,
                        http.TraceIdentifier
                    );
                }
            }
        );
    }

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "HTTP {Method} {Route} answered {Status} in {ElapsedMs:0.0} ms (trace {TraceId})"
    )]
    private static partial void LogRequest(
        ILogger logger,
        string method,
        string route,
        int status,
        double elapsedMs,
        string traceId
    );
}
