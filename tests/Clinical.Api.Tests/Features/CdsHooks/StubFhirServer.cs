using System.Net;
using System.Text;

namespace Clinical.Api.Tests.Features.CdsHooks;

/// <summary>
/// The EHR's FHIR server at the network boundary: answers GETs from a table of path+query → JSON, records what was
/// asked.
/// </summary>
public sealed class StubFhirServer : HttpMessageHandler
{
    public Dictionary<string, string> Answers { get; } = new(StringComparer.Ordinal);

    public List<(string PathAndQuery, string? Authorization)> Calls { get; } = [];

    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        CancellationToken cancellationToken
    )
    {
        var pathAndQuery = Uri.UnescapeDataString(request.RequestUri!.PathAndQuery);
        lock (Calls)
            Calls.Add((pathAndQuery, request.Headers.Authorization?.ToString()));
        if (Delay > TimeSpan.Zero)
            await Task.Delay(Delay, cancellationToken);
        var match = Answers.FirstOrDefault(a => pathAndQuery.EndsWith(a.Key, StringComparison.Ordinal));
        return match.Key is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(match.Value, Encoding.UTF8, "application/fhir+json"),
            };
    }
}
