using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Clinical.Api.Hosting;
using Clinical.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Clinical.Api.Tests.Hosting;

public sealed class OperationsTests(ClinicalApiFactory factory) : IClassFixture<ClinicalApiFactory>
{
    [Fact]
    public async Task Given_a_reachable_database_When_readiness_is_checked_Then_200()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Given_the_OpenAPI_document_When_read_Then_it_describes_CDS_Hooks_and_not_the_FHIR_endpoints()
    {
        using var client = factory.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/cds-services/hf-screening", paths);
        Assert.Contains("/cds-services/hf-screening/feedback", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/fhir", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_a_flagging_hook_When_metrics_are_read_Then_requests_latency_and_flags_are_counted()
    {
        var meterFactory = factory.Services.GetRequiredService<IMeterFactory>();
        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ClinicalMetrics.MeterName && instrument.Meter.Scope == meterFactory)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>(
            (instrument, value, _, _) =>
            {
                lock (seen)
                    seen[instrument.Name] = seen.GetValueOrDefault(instrument.Name) + value;
            }
        );
        listener.SetMeasurementEventCallback<double>(
            (instrument, value, _, _) =>
            {
                lock (seen)
                    seen[instrument.Name] = seen.GetValueOrDefault(instrument.Name) + 1;
            }
        );
        listener.Start();

        using var client = factory.CreateCdsClient();
        using var response = await client.PostAsync(
            new Uri("/cds-services/hf-screening", UriKind.Relative),
            new StringContent(
                FixtureFiles.PatientView(FixtureFiles.PossibleUndiagnosedHeartFailure),
                Encoding.UTF8,
                "application/json"
            )
        );

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        lock (seen)
        {
            Assert.True(seen.GetValueOrDefault("clinical.requests") >= 1);
            Assert.True(seen.GetValueOrDefault("clinical.request.duration") >= 1);
            Assert.True(seen.GetValueOrDefault("clinical.flags.raised") >= 1);
        }
    }
}
