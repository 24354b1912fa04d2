namespace Clinical.Api.Persistence;

/// <summary>
/// A token id (iss + jti) already accepted; kept until the token expires so a replay is refused, across restarts.
/// </summary>
public sealed class UsedTokenId
{
    public required string Key { get; set; }

    /// <summary>Unix seconds (a plain integer on every provider).</summary>
    public long ExpiresAt { get; set; }
}
