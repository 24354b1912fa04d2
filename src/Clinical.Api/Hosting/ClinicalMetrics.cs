using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Clinical.Api.Hosting;

/// <summary>
/// The service's meters (System.Diagnostics.Metrics, meter "Clinical.Api"): requests, latency, flags raised, hook cache
/// hits.
/// </summary>
public sealed class ClinicalMetrics
{
    public const string MeterName = "Clinical.Api";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _flags;
    private readonly Counter<long> _hookCacheHits;

    public ClinicalMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>(
            "clinical.requests",
            description: "HTTP requests handled, by route and status."
        );
        _duration = meter.CreateHistogram<double>(
            "clinical.request.duration",
            unit: "ms",
            description: "HTTP request duration."
        );
        _flags = meter.CreateCounter<long>(
            "clinical.flags.raised",
            description: "Flags raised for possible undiagnosed heart failure."
        );
        _hookCacheHits = meter.CreateCounter<long>(
            "clinical.cdshooks.cache_hits",
            description: "CDS hook answers served from the fingerprint cache."
        );
    }

    public void Request(string route, int status, double milliseconds)
    {
        var tags = new TagList { { "route", route }, { "status", status } };
        _requests.Add(1, tags);
        _duration.Record(milliseconds, tags);
    }

    public void FlagRaised() => _flags.Add(1);

    public void HookCacheHit() => _hookCacheHits.Add(1);
}
