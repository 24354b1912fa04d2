using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Api.Hosting;

/// <summary>
/// Public keys of the allow-listed issuers: from a JWKS file, or a JWKS URL fetched with a timeout and cached.
/// Symmetric keys are never used.
/// </summary>
public sealed partial class JwksKeyStore(
    AuthOptions options,
    IHttpClientFactory httpClients,
    TimeProvider clock,
    ILogger<JwksKeyStore> logger
)
{
    public const string HttpClientName = "jwks";

    private readonly ConcurrentDictionary<string, (IReadOnlyList<SecurityKey> Keys, DateTimeOffset LoadedAt)> _keys =
        new(StringComparer.Ordinal);
    private readonly List<SecurityKey> _developmentKeys = [];

    public bool IsTrusted(string? issuer) =>
        issuer is not null
        && (
            options.Issuers.Any(i => i.Issuer == issuer)
            || (_developmentKeys.Count > 0 && issuer == AuthOptions.DevelopmentIssuer)
        );

    public void TrustDevelopmentKey(SecurityKey key) => _developmentKeys.Add(key);

    public IReadOnlyList<SecurityKey> KeysOf(string? issuer) =>
        issuer == AuthOptions.DevelopmentIssuer ? _developmentKeys
        : issuer is not null && _keys.TryGetValue(issuer, out var entry) ? entry.Keys
        : [];

    /// <summary>Loads (or refreshes) the issuer's keys before a token of that issuer is validated.</summary>
    public async Task EnsureLoadedAsync(string issuer, CancellationToken cancellationToken)
    {
        var trusted = options.Issuers.FirstOrDefault(i => i.Issuer == issuer);
        if (trusted is null)
            return;
        if (
            _keys.TryGetValue(issuer, out var entry)
            && (
                trusted.JwksUrl is null
                || clock.GetUtcNow() - entry.LoadedAt < TimeSpan.FromMinutes(options.JwksRefreshMinutes)
            )
        )
            return;
        try
        {
            string json;
            if (trusted.JwksFile is { Length: > 0 } file)
            {
                json = await File.ReadAllTextAsync(file, cancellationToken);
            }
            else
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(options.JwksTimeoutSeconds));
                json = await httpClients
                    .CreateClient(HttpClientName)
                    .GetStringAsync(new Uri(trusted.JwksUrl!), timeout.Token);
            }
            var keys = new JsonWebKeySet(json).GetSigningKeys().Where(k => k is not SymmetricSecurityKey).ToList();
            _keys[issuer] = (keys, clock.GetUtcNow());
        }
        catch (Exception e)
            when (e
                    is IOException
                        or HttpRequestException
                        or OperationCanceledException
                        or ArgumentException
                        or UnauthorizedAccessException
            )
        {
            LogJwksFailed(issuer, e.GetType().Name);
        }
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Could not load the JWKS of issuer {Issuer} ({Error}); keys already known are kept"
    )]
    private partial void LogJwksFailed(string issuer, string error);
}
