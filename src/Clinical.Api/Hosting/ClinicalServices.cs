using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Clinical.Api.Hosting;

/// <summary>
/// The services both the HTTP host and the command-line verbs use: the same mediator pipeline and handlers.
/// </summary>
public static class ClinicalServices
{
    public static IServiceCollection AddClinical(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ClinicalOptions.Section).Get<ClinicalOptions>() ?? new ClinicalOptions();
        if (
            !string.IsNullOrWhiteSpace(options.Language)
            && !Models.Scoring.Wording.RiskWording.Supports(options.Language)
        )
            throw new InvalidOperationException(
                $"Clinical:Language '{options.Language}' is not supported; use es, ca, gl or eu, or leave it unset "
                    + "to follow the language of each patient's notes."
            );
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        var limits = LimitsOptions.From(configuration);
        services.AddSingleton(limits);
        services.AddSingleton(new InputLimits { MaxBytes = options.MaxRequestBytes, MaxEntries = limits.MaxEntries });
        services.AddSingleton<FhirInputReader>();
        services.AddSingleton<PatientRecordExtractor>();
        services.AddSingleton<BulkExportReader>();
        services.AddSingleton<Features.Training.WeakLabels>();
        services.AddSingleton<Features.Training.TrainingInputs>();
        services.AddScoped<Features.Screening.PatientScreener>();
        RiskEngineLoader.AddRiskEngine(services, configuration);
        services.AddSingleton<Features.Summaries.PatientSummaries>();
        services.AddSingleton(
            configuration
                .GetSection(Features.Cohorts.Runs.CohortRunOptions.Section)
                .Get<Features.Cohorts.Runs.CohortRunOptions>()
                ?? new()
        );
        services.AddSingleton<Features.Cohorts.Runs.CohortPlanner>();
        services.AddSingleton<Features.Cohorts.Runs.CohortShardScreener>();
        services.AddSingleton(
            configuration
                .GetSection(Features.Cohorts.Cluster.CohortClusterOptions.Section)
                .Get<Features.Cohorts.Cluster.CohortClusterOptions>()
                ?? new()
        );
        // One process by default; a host with a silo (worker, screen-cohort --cluster) swaps in the grains.
        services.AddSingleton<Features.Cohorts.Cluster.IShardWorkers, Features.Cohorts.Cluster.LocalShardWorkers>();
        // Started only by the web host (ServiceHost); the verbs work their run in the foreground.
        services.AddSingleton<Features.Cohorts.Runs.CohortRunner>();
        services.AddSingleton<ClinicalMetrics>();
        services.AddHttpContextAccessor();
        services.AddMemoryCache();
        var cdsHooks =
            configuration.GetSection(Features.CdsHooks.CdsHooksOptions.Section).Get<Features.CdsHooks.CdsHooksOptions>()
            ?? new();
        cdsHooks.PublicBaseUrl ??= configuration[$"{AuthOptions.Section}:PublicBaseUrl"];
        services.AddSingleton(cdsHooks);
        services.AddSingleton(new Features.CdsHooks.AllowedFhirServers(cdsHooks));
        services.AddSingleton<Features.CdsHooks.PrefetchAssembler>();
        // HttpClientFactory's default loggers write every request URI (EHR calls carry patient ids); the callers log
        // what they need without it.
        services.ConfigureHttpClientDefaults(client => client.RemoveAllLoggers());
        services
            .AddHttpClient(
                Features.CdsHooks.PrefetchAssembler.HttpClientName,
                client => client.Timeout = TimeSpan.FromSeconds(cdsHooks.FhirServerTimeoutSeconds + 1)
            )
            // A redirect would take the request (and the EHR's token) off the allowed server.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        Features.Cohorts.BulkExport.BulkExportServices.AddBulkExportClient(services, configuration);

        var connectionString = configuration.GetConnectionString("Clinical");
        if (string.Equals(options.DatabaseProvider, "postgres", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException(
                    "Clinical:DatabaseProvider is postgres but ConnectionStrings:Clinical is not set."
                );
            services.AddDbContext<ClinicalDbContext>(db => db.UseNpgsql(connectionString));
        }
        else if (string.Equals(options.DatabaseProvider, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<SqliteConnectionSetup>();
            services.AddSingleton<SqliteWriteGate>();
            services.AddDbContext<ClinicalDbContext>(
                (provider, db) =>
                    db.UseSqlite(connectionString ?? $"Data Source={options.Database}")
                        .AddInterceptors(
                            provider.GetRequiredService<SqliteConnectionSetup>(),
                            provider.GetRequiredService<SqliteWriteGate>()
                        )
            );
        }
        else
        {
            throw new InvalidOperationException(
                $"Clinical:DatabaseProvider '{options.DatabaseProvider}' is not supported; use sqlite or postgres."
            );
        }

        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
        services.AddMediator(mediator =>
        {
            mediator.ServiceLifetime = ServiceLifetime.Scoped;
            mediator.PipelineBehaviors =
            [
                typeof(LoggingBehaviour<,>),
                typeof(ValidationBehaviour<,>),
                typeof(AuditBehaviour<,>),
            ];
        });
        return services;
    }

    /// <summary>
    /// Creates the database on first run (the SQLite folder too) and checks its schema version. Several processes
    /// may start on one database at once (verbs, tests, cluster workers): creation is serialised by a lock file beside
    /// a SQLite file and by an advisory lock on PostgreSQL (<see cref="PostgresCreationLock"/>).
    /// </summary>
    public static async Task EnsureDatabaseAsync(
        IServiceProvider services,
        CancellationToken cancellationToken = default
    )
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicalDbContext>();
        FileStream? creationLock = null;
        if (
            db.Database.IsSqlite()
            && db.Database.GetConnectionString() is { } connection
            && new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection).DataSource is { Length: > 0 } file
            && file != ":memory:"
            && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder
        )
        {
            PrivateFiles.CreateFolder(folder);
            creationLock = await LockAsync(Path.GetFullPath(file) + ".init-lock", cancellationToken);
            // The database holds results for identified patients: owner-only, and so are its -wal and -shm files
            // (SQLite creates them with the database file's mode).
            PrivateFiles.Ensure(Path.GetFullPath(file));
            PrivateFiles.Restrict(Path.GetFullPath(file) + "-wal");
            PrivateFiles.Restrict(Path.GetFullPath(file) + "-shm");
        }
        await using (creationLock)
        await using (await PostgresLockAsync(db, cancellationToken))
        {
            await CreateAndCheckAsync(db, cancellationToken);
        }
    }

    private static async Task<PostgresCreationLock?> PostgresLockAsync(
        ClinicalDbContext db,
        CancellationToken cancellationToken
    ) =>
        db.Database.IsNpgsql() && db.Database.GetConnectionString() is { } connection
            ? await PostgresCreationLock.TakeAsync(connection, cancellationToken)
            : null;

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                var options = PrivateFiles.Create(FileMode.OpenOrCreate);
                options.Access = FileAccess.ReadWrite;
                options.Share = FileShare.None;
                options.BufferSize = 1;
                options.Options = FileOptions.DeleteOnClose;
                return new FileStream(path, options);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    private static async Task CreateAndCheckAsync(ClinicalDbContext db, CancellationToken cancellationToken)
    {
        if (await InterruptedCreationAsync(db, cancellationToken))
            await db.Database.EnsureDeletedAsync(cancellationToken);
        if (await db.Database.EnsureCreatedAsync(cancellationToken))
        {
            db.SchemaInfo.Add(new SchemaInfo { Id = 1, Version = ClinicalDbContext.SchemaVersion });
            await db.SaveChangesAsync(cancellationToken);
        }
        int? version;
        try
        {
            version = (await db.SchemaInfo.AsNoTracking().SingleOrDefaultAsync(cancellationToken))?.Version;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            version = null;
        }
        if (version != ClinicalDbContext.SchemaVersion)
            throw new InvalidOperationException(
                "The database holds schema version "
                    + $"{version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "1 (unversioned)"}; "
                    + $"this build needs {ClinicalDbContext.SchemaVersion}. Back it up, then point Clinical:Database / "
                    + "ConnectionStrings:Clinical at a new database (see README, Persistence)."
            );
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    /// <summary>
    /// A process killed between creating the tables (one transaction) and stamping the schema version leaves a
    /// database with the version table empty and nothing stored: it is this service's own unfinished creation, made
    /// again rather than refused as an unknown schema. A database that holds any screening is never touched.
    /// </summary>
    private static async Task<bool> InterruptedCreationAsync(ClinicalDbContext db, CancellationToken cancellationToken)
    {
        // Only a database that exists and has tables is looked into, so a new one starts without a failed query.
        var creator = db.Database.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken) || !await creator.HasTablesAsync(cancellationToken))
            return false;
        try
        {
            return !await db.SchemaInfo.AnyAsync(cancellationToken) && !await db.Screenings.AnyAsync(cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            return false;
        }
    }
}
