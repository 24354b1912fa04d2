using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clinical.Api.Features.Cohorts.BulkExport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Api.Tests.Features.Cohorts.BulkExport;

/// <summary>
/// One answer of the status URL before the manifest: a status code, X-Progress, Retry-After, an issue code.
/// </summary>
public sealed record StatusStep(int Status, string? Progress = null, int? RetryAfter = null, string? IssueCode = null);

/// <summary>A request as the EHR saw it (the headers the Bulk Data IG and SMART care about).</summary>
public sealed record SeenRequest(
    string Method,
    string Path,
    string Query,
    string? Authorization,
    string? Accept,
    string? Prefer,
    string? Range,
    string? IfRange
);

/// <summary>
/// The EHR at the network boundary: a FHIR server on loopback (Kestrel, an ephemeral port) that behaves as the Bulk
/// Data IG (https://hl7.org/fhir/uv/bulkdata/export.html) and SMART Backend Services say. Its token endpoint verifies
/// the client assertion (ES384/RS384 signature with the registered key and kid, iss = sub = client id, aud = the token
/// URL, exp at most five minutes ahead, jti never seen before) and issues short-lived opaque tokens; kick-off wants
/// `Accept: application/fhir+json` and `Prefer: respond-async` and answers 202 + Content-Location; the status URL
/// plays a script (202 with X-Progress/Retry-After, 429, 5xx) and then gives the manifest; files honour Range and
/// If-Range (206 + Content-Range, 416) and can break off midway, answer 503 for a while, or fail. Time is the test's
/// clock, shared with the client.
/// </summary>
public sealed class BulkDataTestServer : IAsyncDisposable
{
    public const string ClientId = "hf-screening-test-client";
    public const string TransactionTime = "2026-06-30T09:30:00.000Z";

    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _jtis = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _fileRequests = new(StringComparer.Ordinal);
    private int _polls;
    private int _expiredSeen;

    private BulkDataTestServer(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
    }

    public string Origin { get; private set; } = "";

    public string FhirBase => Origin + "/fhir";

    public string TokenUrl => Origin + "/auth/token";

    /// <summary>The client's public key as registered with the EHR (its JWKS), and its kid.</summary>
    public SecurityKey? RegisteredKey { get; set; }

    public int TokenLifetimeSeconds { get; set; } = 300;

    public bool RequiresAccessToken { get; set; } = true;

    public bool SupportsRanges { get; set; } = true;

    /// <summary>Polls answered in order before the manifest.</summary>
    public List<StatusStep> Script { get; } = [];

    /// <summary>Output files in manifest order: (resource type, name under /files, content).</summary>
    public List<(string Type, string Name, byte[] Content)> Output { get; } = [];

    public List<(string Name, byte[] Content)> Errors { get; } = [];

    /// <summary>Origin the manifest's file URLs point to (default: this server's own).</summary>
    public string? FileOrigin { get; set; }

    /// <summary>Where file requests are redirected (307): signed URLs needing no token, like object storage.</summary>
    public string? RedirectFilesTo { get; set; }

    /// <summary>Files whose first download sends half the bytes and then drops the connection.</summary>
    public HashSet<string> BreakOffOnce { get; } = [];

    /// <summary>Files answered with 503 (Retry-After 1) this many times before they are served.</summary>
    public ConcurrentDictionary<string, int> UnavailableFor { get; } = new(StringComparer.Ordinal);

    /// <summary>Files answered with 500 and a non-transient OperationOutcome while listed.</summary>
    public HashSet<string> Failing { get; } = [];

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public ConcurrentQueue<JsonWebToken> Assertions { get; } = new();

    public ConcurrentQueue<string> Refusals { get; } = new();

    public ConcurrentQueue<string> Scopes { get; } = new();

    /// <summary>Requests that came with a token this server issued but that had expired.</summary>
    public int ExpiredTokensSeen => _expiredSeen;

    public int TokensIssued => _tokens.Count;

    public IEnumerable<SeenRequest> KickOffs =>
        Requests.Where(r => r.Path.EndsWith("/$export", StringComparison.Ordinal));

    public IEnumerable<SeenRequest> Deletes => Requests.Where(r => r.Method == "DELETE");

    public IEnumerable<SeenRequest> FileRequests(string name) => Requests.Where(r => r.Path == $"/files/{name}");

    public static async Task<BulkDataTestServer> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new BulkDataTestServer(app, clock);
        server.Map();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        server.Origin = address.Addresses.Single().TrimEnd('/');
        return server;
    }

    /// <summary>Splits a fixture file at a line boundary near its middle into two output files of one type.</summary>
    public void AddOutput(string type, byte[] content, int parts = 1)
    {
        var cut = 0;
        for (var part = 0; part < parts; part++)
        {
            var end =
                part == parts - 1
                    ? content.Length
                    : Array.IndexOf(content, (byte)'\n', content.Length * (part + 1) / parts) + 1;
            Output.Add((type, $"{type}-{part}.ndjson", content[cut..end]));
            cut = end;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map()
    {
        _app.Use(
            async (context, next) =>
            {
                var headers = context.Request.Headers;
                Requests.Enqueue(
                    new SeenRequest(
                        context.Request.Method,
                        context.Request.Path.Value ?? "",
                        Uri.UnescapeDataString(context.Request.QueryString.Value ?? ""),
                        headers.Authorization.FirstOrDefault(),
                        headers.Accept.FirstOrDefault(),
                        headers["Prefer"].FirstOrDefault(),
                        headers.Range.FirstOrDefault(),
                        headers.IfRange.FirstOrDefault()
                    )
                );
                await next(context);
            }
        );
        _app.MapGet(
            "/fhir/.well-known/smart-configuration",
            () =>
                Results.Text(
                    $$"""
                    {
                      "token_endpoint": "{{TokenUrl}}",
                      "grant_types_supported": ["client_credentials"],
                      "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                      "token_endpoint_auth_signing_alg_values_supported": ["ES384", "RS384"],
                      "capabilities": ["client-confidential-asymmetric"]
                    }
                    """,
                    "application/json"
                )
        );
        _app.MapPost("/auth/token", (Func<HttpContext, Task<IResult>>)Token);
        _app.MapGet("/fhir/$export", KickOff);
        _app.MapGet("/fhir/Patient/$export", KickOff);
        _app.MapGet("/fhir/Group/{id}/$export", KickOff);
        _app.MapGet("/fhir/bulkstatus/{id}", Status);
        _app.MapDelete("/fhir/bulkstatus/{id}", (HttpContext context) => Results.StatusCode(202));
        _app.MapGet("/files/{name}", File);
    }

    private async Task<IResult> Token(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var refusal = await RefusalAsync(form);
        if (refusal is not null)
        {
            Refusals.Enqueue(refusal);
            return Results.Json(new { error = "invalid_client", error_description = refusal }, statusCode: 400);
        }
        Scopes.Enqueue(form["scope"].ToString());
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _tokens[token] = _clock.GetUtcNow().AddSeconds(TokenLifetimeSeconds);
        return Results.Json(
            new
            {
                access_token = token,
                token_type = "bearer",
                expires_in = TokenLifetimeSeconds,
                scope = form["scope"].ToString(),
            }
        );
    }

    /// <summary>Why the token request is refused (SMART Backend Services, "Signature verification"), or null.</summary>
    private async Task<string?> RefusalAsync(IFormCollection form)
    {
        if (form["grant_type"] != "client_credentials")
            return "grant_type must be client_credentials";
        if (form["client_assertion_type"] != BackendServicesToken.AssertionType)
            return "client_assertion_type must be jwt-bearer";
        if (string.IsNullOrEmpty(form["scope"]))
            return "scope is required";
        var handler = new JsonWebTokenHandler();
        var assertion = form["client_assertion"].ToString();
        if (!handler.CanReadToken(assertion))
            return "client_assertion is not a JWT";
        var jwt = handler.ReadJsonWebToken(assertion);
        if (jwt.Alg is not ("ES384" or "RS384"))
            return $"alg {jwt.Alg} is not allowed";
        if (RegisteredKey is null || jwt.Kid != RegisteredKey.KeyId)
            return $"kid {jwt.Kid} is not registered";
        var validation = await handler.ValidateTokenAsync(
            assertion,
            new TokenValidationParameters
            {
                IssuerSigningKey = RegisteredKey,
                ValidIssuer = ClientId,
                ValidAudience = TokenUrl,
                ValidAlgorithms = ["ES384", "RS384"],
                ValidateLifetime = false, // checked below against the shared test clock
            }
        );
        if (!validation.IsValid)
            return $"invalid assertion: {validation.Exception?.GetType().Name}";
        if (jwt.Subject != ClientId)
            return "sub must equal iss (the client id)";
        var now = _clock.GetUtcNow();
        if (jwt.ValidTo == DateTime.MinValue || jwt.ValidTo <= now.UtcDateTime)
            return "exp is missing or past";
        if (jwt.ValidTo > now.UtcDateTime.AddMinutes(5).AddSeconds(5))
            return "exp is more than five minutes ahead";
        if (string.IsNullOrEmpty(jwt.Id) || !_jtis.TryAdd(jwt.Id, true))
            return "jti is missing or was used before";
        Assertions.Enqueue(jwt);
        return null;
    }

    private IResult? Unauthorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null;
        if (token is not null && _tokens.TryGetValue(token, out var expires))
        {
            if (_clock.GetUtcNow() < expires)
                return null;
            Interlocked.Increment(ref _expiredSeen);
        }
        return Outcome(401, "login", "A valid access token is required.");
    }

    private IResult KickOff(HttpContext context)
    {
        if (Unauthorized(context) is { } refused)
            return refused;
        if (context.Request.Headers.Accept != "application/fhir+json")
            return Outcome(400, "invalid", "Accept must be application/fhir+json.");
        if (context.Request.Headers["Prefer"] != "respond-async")
            return Outcome(400, "invalid", "Prefer must be respond-async.");
        context.Response.Headers.ContentLocation = $"{FhirBase}/bulkstatus/{Guid.NewGuid():N}";
        return Results.StatusCode(202);
    }

    private IResult Status(HttpContext context)
    {
        if (Unauthorized(context) is { } refused)
            return refused;
        var poll = Interlocked.Increment(ref _polls) - 1;
        if (poll < Script.Count)
        {
            var step = Script[poll];
            if (step.Progress is { } progress)
                context.Response.Headers["X-Progress"] = progress;
            if (step.RetryAfter is { } retryAfter)
                context.Response.Headers.RetryAfter = retryAfter.ToString(
                    System.Globalization.CultureInfo.InvariantCulture
                );
            return step.IssueCode is { } code
                ? Outcome(step.Status, code, "The export status is not available right now.")
                : Results.StatusCode(step.Status);
        }
        var fileOrigin = FileOrigin ?? Origin;
        JsonArray Entries(IEnumerable<(string Type, string Name, byte[] Content)> files) =>
            new(
                files
                    .Select(f =>
                        (JsonNode)
                            new JsonObject
                            {
                                ["type"] = f.Type,
                                ["url"] = $"{fileOrigin}/files/{f.Name}",
                                ["count"] = f.Content.Count(b => b == (byte)'\n'),
                            }
                    )
                    .ToArray()
            );
        var manifest = new JsonObject
        {
            ["transactionTime"] = TransactionTime,
            ["request"] = KickOffs.LastOrDefault()?.Path,
            ["requiresAccessToken"] = RequiresAccessToken,
            ["output"] = Entries(Output),
            ["error"] = Entries(Errors.Select(e => ("OperationOutcome", e.Name, e.Content))),
        };
        return Results.Text(manifest.ToJsonString(), "application/json");
    }

    private async Task File(HttpContext context, string name)
    {
        var content =
            Output.Where(f => f.Name == name).Select(f => f.Content).FirstOrDefault()
            ?? Errors.Where(f => f.Name == name).Select(f => f.Content).FirstOrDefault();
        // A signed URL (as object storage hands out) needs no token, and must not be sent one.
        var signed = context.Request.Query.ContainsKey("signature");
        var refusal =
            RequiresAccessToken && !signed ? Unauthorized(context)
            : context.Request.Headers.Authorization.Count > 0
                ? Outcome(400, "security", "This file must be fetched without a token.")
            : null;
        refusal ??=
            content is null ? Outcome(404, "not-found", "No such file.")
            : Failing.Contains(name) ? Outcome(500, "processing", "The file cannot be produced.")
            : null;
        if (refusal is null && UnavailableFor.TryGetValue(name, out var left) && left > 0)
        {
            UnavailableFor[name] = left - 1;
            context.Response.Headers.RetryAfter = "1";
            refusal = Outcome(503, "transient", "Try again shortly.");
        }
        if (refusal is null && RedirectFilesTo is { } storage && !signed)
        {
            context.Response.Redirect($"{storage}/files/{name}?signature=test", permanent: false, preserveMethod: true);
            return;
        }
        if (refusal is not null)
        {
            await refusal.ExecuteAsync(context);
            return;
        }
        var etag = $"\"{Convert.ToHexString(SHA256.HashData(content!))[..16]}\"";
        var from = 0L;
        context.Response.ContentType = "application/fhir+ndjson";
        if (SupportsRanges)
        {
            context.Response.Headers.AcceptRanges = "bytes";
            context.Response.Headers.ETag = etag;
            var range = context.Request.GetTypedHeaders().Range;
            var ifRange = context.Request.Headers.IfRange.ToString();
            if (range?.Ranges.Count == 1 && (ifRange.Length == 0 || ifRange == etag))
            {
                from = range.Ranges.Single().From ?? 0;
                if (from >= content!.Length)
                {
                    context.Response.StatusCode = 416;
                    context.Response.Headers.ContentRange = $"bytes */{content.Length}";
                    return;
                }
                context.Response.StatusCode = 206;
                context.Response.Headers.ContentRange = $"bytes {from}-{content.Length - 1}/{content.Length}";
            }
        }
        var body = content!.AsMemory((int)from);
        context.Response.ContentLength = body.Length;
        if (_fileRequests.AddOrUpdate(name, 1, (_, n) => n + 1) == 1 && BreakOffOnce.Contains(name))
        {
            await WriteAsync(context, body[..(body.Length / 2)]);
            await context.Response.Body.FlushAsync();
            context.Abort();
            return;
        }
        await WriteAsync(context, body);
    }

    /// <summary>As a file server streams: a block at a time, so Kestrel never buffers a whole file.</summary>
    private static async Task WriteAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        for (var at = 0; at < body.Length; at += 64 * 1024)
            await context.Response.Body.WriteAsync(body.Slice(at, Math.Min(64 * 1024, body.Length - at)));
    }

    private static IResult Outcome(int status, string code, string diagnostics) =>
        Results.Text(
            JsonSerializer.Serialize(
                new
                {
                    resourceType = "OperationOutcome",
                    issue = new[]
                    {
                        new
                        {
                            severity = "error",
                            code,
                            diagnostics,
                        },
                    },
                }
            ),
            "application/fhir+json",
            Encoding.UTF8,
            status
        );
}
