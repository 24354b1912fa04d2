using System.Net.Http.Headers;
using System.Text.Json;
using Clinical.Api.FhirHttp;

namespace Clinical.Api.Features.CdsHooks;

/// <summary>
/// One piece of the patient's data: a prefetch value (or what the EHR's FHIR server returned for that key), as JSON.
/// </summary>
public sealed record PrefetchPiece(string Key, string Json);

/// <summary>
/// Gathers the hook's data: prefetch values as sent (a missing key or an OperationOutcome is a gap, null is known
/// empty),
/// and, when the request carries fhirServer + fhirAuthorization for an allowed server, the gaps fetched from that
/// server.
/// </summary>
public sealed partial class PrefetchAssembler(
    IHttpClientFactory httpClients,
    CdsHooksOptions options,
    AllowedFhirServers allowedServers,
    ILogger<PrefetchAssembler> logger
)
{
    public const string HttpClientName = "ehr-fhir";

    public async Task<IReadOnlyList<PrefetchPiece>> AssembleAsync(
        CdsHookRequest request,
        string patientId,
        CancellationToken cancellationToken
    )
    {
        var sent = request.Prefetch ?? [];
        var pieces = new List<PrefetchPiece>();
        var gaps = new List<string>();
        foreach (var (key, value) in sent)
        {
            if (value.ValueKind == JsonValueKind.Null)
                continue;
            if (ResourceType(value) == "OperationOutcome")
            {
                if (Discovery.Prefetch.ContainsKey(key))
                    gaps.Add(key);
                continue;
            }
            pieces.Add(new PrefetchPiece(key, value.GetRawText()));
        }
        gaps.AddRange(Discovery.Prefetch.Keys.Where(key => !sent.ContainsKey(key)));
        if (gaps.Remove("patient") && !HasPatient(pieces, patientId))
            gaps.Insert(0, "patient");

        if (gaps.Count > 0 && CallbackServer(request) is { } server)
        {
            var fetched = await Task.WhenAll(
                gaps.Select(key =>
                    FetchAsync(server, request.FhirAuthorization!.AccessToken!, key, request, cancellationToken)
                )
            );
            pieces.AddRange(fetched.OfType<PrefetchPiece>());
        }
        if (!HasPatient(pieces, patientId))
            throw new Errors.PreconditionFailedException(
                $"The Patient '{patientId}' could not be obtained: send it in prefetch 'patient' "
                    + $"({Discovery.Prefetch["patient"]}) or give fhirServer and fhirAuthorization for a FHIR server "
                    + "this service is allowed to call."
            );
        return pieces;
    }

    private Uri? CallbackServer(CdsHookRequest request)
    {
        if (string.IsNullOrEmpty(request.FhirServer) || string.IsNullOrEmpty(request.FhirAuthorization?.AccessToken))
            return null;
        var server = allowedServers.Match(request.FhirServer);
        if (server is null)
            LogServerNotAllowed();
        return server;
    }

    private async Task<PrefetchPiece?> FetchAsync(
        Uri server,
        string accessToken,
        string key,
        CdsHookRequest request,
        CancellationToken cancellationToken
    )
    {
        var target = new Uri(server, Render(Discovery.Prefetch[key], request));
        if (!allowedServers.Allows(target))
        {
            LogFetchFailed(key, "outside the allowed server");
            return null;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.FhirServerTimeoutSeconds));
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, target);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirContent.MediaType));
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(message, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                LogFetchFailed(
                    key,
                    ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)
                );
                return null;
            }
            return new PrefetchPiece(key, await response.Content.ReadAsStringAsync(timeout.Token));
        }
        catch (Exception e)
            when (e is HttpRequestException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            )
        {
            LogFetchFailed(key, e is OperationCanceledException ? "timeout" : e.GetType().Name);
            return null;
        }
    }

    public static string Render(string template, CdsHookRequest request)
    {
        var text = template;
        foreach (var (name, value) in request.Context ?? [])
        {
            if (value.ValueKind == JsonValueKind.String)
                text = text.Replace(
                    "{{context." + name + "}}",
                    Uri.EscapeDataString(value.GetString()!),
                    StringComparison.Ordinal
                );
        }
        return text;
    }

    public static string? ResourceType(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
        && value.TryGetProperty("resourceType", out var type)
        && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;

    private static bool HasPatient(IEnumerable<PrefetchPiece> pieces, string patientId)
    {
        foreach (var piece in pieces)
        {
            using var document = JsonDocument.Parse(piece.Json);
            var root = document.RootElement;
            if (IsPatient(root, patientId))
                return true;
            if (
                ResourceType(root) == "Bundle"
                && root.TryGetProperty("entry", out var entries)
                && entries.ValueKind == JsonValueKind.Array
                && entries
                    .EnumerateArray()
                    .Any(e => e.TryGetProperty("resource", out var resource) && IsPatient(resource, patientId))
            )
                return true;
        }
        return false;
    }

    private static bool IsPatient(JsonElement resource, string patientId) =>
        ResourceType(resource) == "Patient"
        && resource.TryGetProperty("id", out var id)
        && id.ValueKind == JsonValueKind.String
        && id.GetString() == patientId;

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "CDS hook: fhirServer is not in Clinical:CdsHooks:AllowedFhirServers; it was not contacted"
    )]
    private partial void LogServerNotAllowed();

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "CDS hook: fetching prefetch key {Key} from the EHR failed ({Reason}); screening with what is there"
    )]
    private partial void LogFetchFailed(string key, string reason);
}
