using Clinical.Api.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Clinical.Api.Tests;

/// <summary>The real host on a fresh SQLite file per test class; only the clock is fixed.</summary>
public sealed class ClinicalApiFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Now = new(2026, 6, 30, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The SQLite file; two hosts on one file model a restart.</summary>
    public string DatabaseFile { get; init; } =
        Path.Combine(Path.GetTempPath(), $"clinical-test-{Guid.NewGuid():N}.db");

    /// <summary>The host environment (WebApplicationFactory's default is Development).</summary>
    public string Environment { get; init; } = "Development";

    /// <summary>Leave the database file in place on dispose (a later host reopens it).</summary>
    public bool KeepDatabase { get; init; }

    public long MaxRequestBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Extra configuration for one test class (e.g. Clinical:CdsHooks:AllowedFhirServers:0).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Fakes at true edges only (the EHR's FHIR server).</summary>
    public Action<IServiceCollection>? Edges { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.UseSetting("Clinical:Database", DatabaseFile);
        builder.UseSetting(
            "Clinical:MaxRequestBytes",
            MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)
        );
        foreach (var (key, value) in TestIdentityProvider.Settings.Concat(Settings))
            builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(new FixedClock(Now));
            Edges?.Invoke(services);
        });
    }

    /// <summary>A client as a CDS client (an EHR) calls the service.</summary>
    public HttpClient CreateCdsClient() =>
        CreateDefaultClient(new BearerTokenHandler(audience => TestIdentityProvider.Mint(audience)));

    /// <summary>A client with a SMART-style token granting the scopes (and roles) given.</summary>
    public HttpClient CreateFhirClient(
        string scope = "system/RiskAssessment.crs system/Flag.rs",
        string[]? roles = null
    ) => CreateDefaultClient(new BearerTokenHandler(audience => TestIdentityProvider.Mint(audience, scope, roles)));

    public T InScope<T>(Func<ClinicalDbContext, T> query)
    {
        using var scope = Services.CreateScope();
        return query(scope.ServiceProvider.GetRequiredService<ClinicalDbContext>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (KeepDatabase)
            return;
        foreach (var file in new[] { DatabaseFile, DatabaseFile + "-shm", DatabaseFile + "-wal" })
            File.Delete(file);
    }
}

public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
