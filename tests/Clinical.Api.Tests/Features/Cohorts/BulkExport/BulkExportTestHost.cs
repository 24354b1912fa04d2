using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Clinical.Api.Features.Cohorts.BulkExport;
using Clinical.Api.Hosting;
using Clinical.Api.Persistence;
using Clinical.Tests;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Clinical.Api.Tests.Features.Cohorts.BulkExport;

/// <summary>
/// Tests that change or measure the whole process (environment variables, allocated bytes) run alone, after the
/// others.
/// </summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;

/// <summary>How the test client holds its private key.</summary>
public enum ClientKeyKind
{
    /// <summary>EC P-384 in a PKCS#8 PEM file, kid from configuration: ES384.</summary>
    EcPem,

    /// <summary>RSA 2048 in a JWK file with its own kid: RS384.</summary>
    RsaJwk,
}

/// <summary>
/// The client side of a Bulk Data test: the product's real services (AddClinical, the mediator pipeline with its audit,
/// a SQLite file), configured for the <see cref="BulkDataTestServer"/> it starts, with a key pair made for the test
/// (the private half in a file as an operator would configure it, the public half registered with the server). Only
/// the clock is a double, shared by both sides. The server serves part of the synthetic fixture cohort.
/// </summary>
public sealed class BulkExportTestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 6, 30, 10, 0, 0, TimeSpan.Zero);

    public const string ServerError = "Observation/obs-missing could not be exported: source unavailable.";

    private readonly string _scratch = Path.Combine(Path.GetTempPath(), $"bulk-export-test-{Guid.NewGuid():N}");
    private IHost? _host;

    private BulkExportTestHost() => Directory.CreateDirectory(_scratch);

    public SteppingClock Clock { get; } = new(Start);

    public BulkDataTestServer Server { get; private set; } = null!;

    public string Folder => Path.Combine(_scratch, "export");

    public string KeyFile => Path.Combine(_scratch, "client-key");

    public string DatabaseFile => Path.Combine(_scratch, "clinical.db");

    public List<ExportProgress> Progress { get; } = [];

    public IServiceProvider Services => _host!.Services;

    /// <summary>The fixture files the server offers, by the name the client gives them.</summary>
    public static IReadOnlyDictionary<string, string> Expected(BulkDataTestServer server) =>
        server
            .Output.GroupBy(f => f.Type)
            .SelectMany(g => g.Select((f, i) => (Name: $"{g.Key}.{i:D3}.ndjson", f.Name)))
            .ToDictionary(f => f.Item1, f => f.Item2);

    public static async Task<BulkExportTestHost> StartAsync(
        ClientKeyKind key = ClientKeyKind.EcPem,
        Func<BulkDataTestServer, IDictionary<string, string?>>? settings = null,
        TimeProvider? serverClock = null
    )
    {
        var test = new BulkExportTestHost();
        // The server judges lifetimes by the client's clock; a client run as a verb has the system clock.
        test.Server = await BulkDataTestServer.StartAsync(serverClock ?? test.Clock);
        test.Server.AddOutput("Patient", Fixture("Patient.ndjson"));
        test.Server.AddOutput("Condition", Fixture("Condition.ndjson"));
        test.Server.AddOutput("Observation", Fixture("Observation.ndjson"), parts: 2);
        test.Server.AddOutput("MedicationStatement", Fixture("MedicationStatement.ndjson"));
        test.Server.Errors.Add(
            (
                "errors-0.ndjson",
                Encoding.UTF8.GetBytes(
                    JsonSerializer.Serialize(
                        new
                        {
                            resourceType = "OperationOutcome",
                            issue = new[]
                            {
                                new
                                {
                                    severity = "error",
                                    code = "processing",
                                    diagnostics = ServerError,
                                },
                            },
                        }
                    ) + "\n"
                )
            )
        );
        var keyId = test.WriteKey(key);
        var configuration = new Dictionary<string, string?>
        {
            ["Clinical:Database"] = test.DatabaseFile,
            [$"{BulkExportOptions.Section}:AllowedFhirServers:0"] = test.Server.FhirBase,
            [$"{BulkExportOptions.Section}:ClientId"] = BulkDataTestServer.ClientId,
            [$"{BulkExportOptions.Section}:PrivateKeyFile"] = test.KeyFile,
            [$"{BulkExportOptions.Section}:KeyId"] = keyId,
        };
        foreach (var (name, value) in settings?.Invoke(test.Server) ?? new Dictionary<string, string?>())
            configuration[name] = value;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddClinical(builder.Configuration);
        builder.Services.AddSingleton<TimeProvider>(test.Clock);
        test._host = builder.Build();
        await ClinicalServices.EnsureDatabaseAsync(test._host.Services);
        return test;
    }

    public async Task<BulkExportResult> ExportAsync(
        string? since = null,
        string? group = null,
        bool system = false,
        IReadOnlyList<string>? types = null,
        bool cancelOnInterrupt = true,
        CancellationToken cancellationToken = default
    )
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope
            .ServiceProvider.GetRequiredService<IMediator>()
            .Send(
                new ExportFromEhr(
                    Server.FhirBase,
                    Folder,
                    "test:data-team",
                    group,
                    system,
                    since,
                    types,
                    new Recorder(Progress),
                    cancelOnInterrupt
                ),
                cancellationToken
            );
    }

    /// <summary>Audit rows of the export, as "outcome" strings, oldest first.</summary>
    public List<string> Audits()
    {
        using var scope = Services.CreateScope();
        return scope
            .ServiceProvider.GetRequiredService<ClinicalDbContext>()
            .AuditRecords.Where(a => a.Action == "bulk-export")
            .Select(a => a.Outcome)
            .ToList();
    }

    public byte[] Downloaded(string relativePath) => File.ReadAllBytes(Path.Combine(Folder, relativePath));

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _host?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_scratch, recursive: true);
    }

    private static byte[] Fixture(string name) => File.ReadAllBytes(FixtureFiles.PathOf("cohort", name));

    /// <summary>
    /// Writes the private key where the configuration points and registers the public key; returns the kid to
    /// configure.
    /// </summary>
    private string? WriteKey(ClientKeyKind kind)
    {
        if (kind == ClientKeyKind.EcPem)
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            File.WriteAllText(KeyFile, ec.ExportPkcs8PrivateKeyPem());
            Server.RegisteredKey = new ECDsaSecurityKey(ECDsa.Create(ec.ExportParameters(false)))
            {
                KeyId = "client-es384",
            };
            return "client-es384";
        }
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(true);
        var jwk = new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["kid"] = "client-rs384",
            ["alg"] = "RS384",
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            ["d"] = Base64UrlEncoder.Encode(p.D),
            ["p"] = Base64UrlEncoder.Encode(p.P),
            ["q"] = Base64UrlEncoder.Encode(p.Q),
            ["dp"] = Base64UrlEncoder.Encode(p.DP),
            ["dq"] = Base64UrlEncoder.Encode(p.DQ),
            ["qi"] = Base64UrlEncoder.Encode(p.InverseQ),
        };
        File.WriteAllText(KeyFile, JsonSerializer.Serialize(jwk));
        Server.RegisteredKey = new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "client-rs384" };
        return null; // the JWK's own kid is used
    }

    /// <summary>Records progress synchronously (Progress&lt;T&gt; would post it later, on the thread pool).</summary>
    private sealed class Recorder(List<ExportProgress> lines) : IProgress<ExportProgress>
    {
        public void Report(ExportProgress value)
        {
            lock (lines)
                lines.Add(value);
        }
    }
}
