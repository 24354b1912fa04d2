using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Api.Features.Cohorts.BulkExport;

/// <summary>
/// The client's private key for SMART Backend Services client assertions, read from a PEM or JWK file. SMART allows
/// RS384 and ES384 (https://hl7.org/fhir/smart-app-launch/backend-services.html#authenticating-to-the-token-endpoint),
/// so only an EC P-384 key (ES384) or an RSA key of at least 2048 bits (RS384) is accepted. Errors name the file,
/// never its contents.
/// </summary>
public static class ClientSigningKey
{
    public static SigningCredentials Load(string path, string? keyId)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"Clinical:BulkExport:PrivateKeyFile {path} cannot be read ({e.GetType().Name})."
            );
        }
        AsymmetricSecurityKey key;
        try
        {
            key = text.TrimStart().StartsWith('{') ? FromJwk(text, path) : FromPem(text, path);
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Clinical:BulkExport:PrivateKeyFile {path} is not a usable private key "
                    + $"(PEM or JWK, EC P-384 or RSA): {e.GetType().Name}."
            );
        }
        if (!string.IsNullOrEmpty(keyId))
            key.KeyId = keyId;
        if (string.IsNullOrEmpty(key.KeyId))
            throw new InvalidOperationException(
                "Set Clinical:BulkExport:KeyId to the kid of the client's key in the JWKS registered with the EHR "
                    + "(SMART client assertions carry it in their header)."
            );
        return new SigningCredentials(
            key,
            key is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha384 : SecurityAlgorithms.RsaSha384
        );
    }

    private static AsymmetricSecurityKey FromPem(string pem, string path)
    {
        if (!pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            throw new InvalidOperationException($"{path} holds no private key (expected a PEM PRIVATE KEY block).");
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return Checked(ec, path);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            ec.Dispose(); // not an EC key: RSA, or unusable (then RSA's import says so)
        }
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return Checked(rsa, path);
    }

    private static AsymmetricSecurityKey FromJwk(string json, string path)
    {
        using var document = JsonDocument.Parse(json);
        var jwk = document.RootElement;
        // A JWKS with one key is accepted too (the file a key generator writes).
        if (jwk.TryGetProperty("keys", out var keys) && keys.GetArrayLength() == 1)
            jwk = keys[0];
        string? Get(string name) => jwk.TryGetProperty(name, out var v) ? v.GetString() : null;
        byte[] Bytes(string name) =>
            Base64UrlEncoder.DecodeBytes(Get(name) ?? throw new FormatException($"JWK member '{name}' is missing"));
        AsymmetricSecurityKey key;
        switch (Get("kty"))
        {
            case "EC":
                if (Get("crv") != "P-384")
                    throw new InvalidOperationException(
                        $"{path}: ES384 needs an EC key on P-384; this JWK is on {Get("crv") ?? "no curve"}."
                    );
                var ec = ECDsa.Create(
                    new ECParameters
                    {
                        Curve = ECCurve.NamedCurves.nistP384,
                        Q = new ECPoint { X = Bytes("x"), Y = Bytes("y") },
                        D = Bytes("d"),
                    }
                );
                key = Checked(ec, path);
                break;
            case "RSA":
                var rsa = RSA.Create(
                    new RSAParameters
                    {
                        Modulus = Bytes("n"),
                        Exponent = Bytes("e"),
                        D = Bytes("d"),
                        P = Bytes("p"),
                        Q = Bytes("q"),
                        DP = Bytes("dp"),
                        DQ = Bytes("dq"),
                        InverseQ = Bytes("qi"),
                    }
                );
                key = Checked(rsa, path);
                break;
            default:
                throw new InvalidOperationException($"{path}: the JWK must be kty EC (P-384) or RSA.");
        }
        key.KeyId = Get("kid");
        return key;
    }

    private static ECDsaSecurityKey Checked(ECDsa ec, string path) =>
        ec.KeySize == 384
            ? new ECDsaSecurityKey(ec)
            : throw new InvalidOperationException(
                $"{path}: ES384 needs an EC key on P-384; this key has {ec.KeySize} bits."
            );

    private static RsaSecurityKey Checked(RSA rsa, string path) =>
        rsa.KeySize >= 2048
            ? new RsaSecurityKey(rsa)
            : throw new InvalidOperationException(
                $"{path}: an RSA key for RS384 needs at least 2048 bits; this one has {rsa.KeySize}."
            );
}
