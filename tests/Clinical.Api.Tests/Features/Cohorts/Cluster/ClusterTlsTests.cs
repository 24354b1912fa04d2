using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Clinical.Api.Features.Cohorts.Cluster;
using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Api.Hosting;
using Clinical.Api.Tests.Cli;
using Clinical.Tests;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Features.Cohorts.Cluster;

/// <summary>The silos' mutual TLS on the cluster's own certificate (Clinical:Cluster:Certificate).</summary>
public sealed class ClusterTlsTests : IDisposable
{
    private const string Password = "cluster-test";

    private readonly string _work = Directory.CreateTempSubdirectory("cohort-cluster-tls-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary>A new self-signed certificate, always with the same name: only its key tells two apart.</summary>
    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=clinical-cohorts", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private string Save(X509Certificate2 certificate, string name, string? password = Password)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    [Fact]
    public void Given_the_clusters_certificate_and_another_of_the_same_name_When_checked_Then_only_it_is_admitted()
    {
        using var cluster = SelfSigned();
        using var same = X509CertificateLoader.LoadCertificate(cluster.RawData);
        using var impostor = SelfSigned();

        Assert.True(ClusterCertificate.IsClusters(same, cluster));
        Assert.False(ClusterCertificate.IsClusters(impostor, cluster));
    }

    [Fact]
    public void Given_a_wrong_password_a_missing_key_or_no_file_When_loaded_Then_one_line_says_why()
    {
        using var certificate = SelfSigned();
        var pfx = Save(certificate, "cluster.pfx");
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var keyless = Save(publicOnly, "keyless.pfx");

        var wrong = Assert.Throws<InvalidOperationException>(() => ClusterCertificate.Load(pfx, "not-it"));
        var noKey = Assert.Throws<InvalidOperationException>(() => ClusterCertificate.Load(keyless, Password));
        var none = Assert.Throws<InvalidOperationException>(() => ClusterCertificate.Load(pfx + ".gone", null));

        Assert.Contains("cannot be read as PKCS#12", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("holds no private key", noKey.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", none.Message, StringComparison.Ordinal);
        Assert.All(new[] { wrong, noKey, none }, e => Assert.DoesNotContain('\n', e.Message));
        using var loaded = ClusterCertificate.Load(pfx, Password);
        Assert.True(loaded.HasPrivateKey);
    }

    [Fact]
    public async Task Given_mutual_tls_silos_When_a_run_is_screened_Then_it_completes_and_a_stranger_is_cut_off()
    {
        using var certificate = SelfSigned();
        var settings = new Dictionary<string, string?>
        {
            ["Clinical:Database"] = Path.Combine(_work, "clinical.db"),
            [RiskEngineLoader.TabularKey] = FixtureFiles.PathOf("models", "hf-tabular"),
            [RiskEngineLoader.NoteKey] = RiskEngineLoader.None,
            [$"{CohortRunOptions.Section}:ShardBytes"] = "300000",
            [$"{CohortClusterOptions.Section}:PollMilliseconds"] = "50",
            [$"{CohortClusterOptions.Section}:Certificate"] = Save(certificate, "cluster.pfx"),
            [$"{CohortClusterOptions.Section}:CertificatePassword"] = Password,
        };
        var cohort = CohortRunFiles.Generate(Path.Combine(_work, "cohort"), patients: 30);
        var builder = new TestClusterBuilder(2);
        // Real sockets, as between workers (the test cluster's default is an in-memory transport).
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        foreach (var (key, value) in settings)
            builder.Properties[key] = value!;
        builder.AddSiloBuilderConfigurator<ClinicalSilo>();
        builder.AddSiloBuilderConfigurator<TlsSilo>();
        builder.AddClientBuilderConfigurator<TlsClient>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            await ClusterCoordinator.WaitForActiveSilosAsync(cluster, 2);
            var (summary, workers) = await ClusterCoordinator.ScreenAsync(
                cluster,
                settings,
                cohort,
                Path.Combine(_work, "out"),
                "tls-1"
            );

            Assert.Equal(("completed", 30, 0), (summary.Status, summary.Patients.Read, summary.Patients.Failed));
            Assert.Equal(2, workers.Statuses.Values.Select(s => s.Silo).Distinct().Count());
            Assert.NotNull(cluster.Primary);
            var gateway = cluster.Primary.GatewayAddress.Endpoint;
            using var impostor = SelfSigned();
            Assert.True(await IsCutOffAsync(gateway, impostor, certificate));
            Assert.False(await IsCutOffAsync(gateway, certificate, certificate));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>
    /// Opens a TLS connection to the gateway (expected to present <paramref name="cluster"/>) with
    /// <paramref name="certificate"/> and waits two seconds for the silo to close it: a stranger's is closed at once;
    /// the cluster's stays open, the silo awaiting Orleans' preamble.
    /// </summary>
    private static async Task<bool> IsCutOffAsync(
        System.Net.IPEndPoint gateway,
        X509Certificate2 certificate,
        X509Certificate2 cluster
    )
    {
        using var client = new TcpClient();
        await client.ConnectAsync(gateway);
        await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = "clinical-cohorts",
                    ClientCertificates = [certificate],
                    RemoteCertificateValidationCallback = (_, remote, _, _) => Presents(remote, cluster),
                }
            );
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            return await tls.ReadAsync(new byte[1], wait.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception error) when (error is IOException or System.Security.Authentication.AuthenticationException)
        {
            return true;
        }
    }

    private static bool Presents(X509Certificate? remote, X509Certificate2 cluster)
    {
        if (remote is null)
            return false;
        using var presented = X509CertificateLoader.LoadCertificate(remote.GetRawCertData());
        return ClusterCertificate.IsClusters(presented, cluster);
    }

    private sealed class TlsSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.UseClusterTls(
                siloBuilder.Configuration.GetSection(CohortClusterOptions.Section).Get<CohortClusterOptions>()!
            );
    }

    private sealed class TlsClient : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            var options = configuration.GetSection(CohortClusterOptions.Section).Get<CohortClusterOptions>()!;
            var certificate = ClusterCertificate.Load(options.Certificate!, options.CertificatePassword);
            clientBuilder.UseTls(certificate, tls => ClusterCertificate.Configure(tls, certificate));
        }
    }
}
