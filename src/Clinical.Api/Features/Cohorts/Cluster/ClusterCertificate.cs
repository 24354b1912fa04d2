using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Clinical.Api.Features.Cohorts.Cluster;

/// <summary>
/// The cohort cluster's shared certificate: with it every silo-to-silo and gateway connection is mutual TLS, and a
/// peer is admitted only if it presents this same certificate (pinned by its SHA-256 hash; TLS has it prove that it
/// holds the private key). One PKCS#12 file, copied to every worker; no certificate authority is involved.
/// </summary>
public static class ClusterCertificate
{
    /// <summary>Loads the certificate and its private key, or says in one line why it cannot.</summary>
    public static X509Certificate2 Load(string path, string? password)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"{CohortClusterOptions.Section}:Certificate names {path}, which does not exist."
            );
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException error)
        {
            // Not chained: the command line reports an exception's innermost message, and this one names the setting.
            throw new InvalidOperationException(
                $"{CohortClusterOptions.Section}:Certificate {path} cannot be read as PKCS#12 with the password given "
                    + $"({error.Message.TrimEnd('.')})."
            );
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException(
                $"{CohortClusterOptions.Section}:Certificate {path} holds no private key: a silo must prove it owns "
                    + "the cluster's certificate."
            );
        }
        return certificate;
    }

    /// <summary>Mutual TLS, both ways requiring the cluster's own certificate.</summary>
    public static void Configure(TlsOptions tls, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(tls);
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = (remote, _, _) => IsClusters(remote, certificate);
    }

    /// <summary>Whether a peer's certificate is the cluster's (pinned: its name and chain do not matter).</summary>
    public static bool IsClusters(X509Certificate2 remote, X509Certificate2 cluster)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(cluster);
        return CryptographicOperations.FixedTimeEquals(
            remote.GetCertHash(HashAlgorithmName.SHA256),
            cluster.GetCertHash(HashAlgorithmName.SHA256)
        );
    }
}
