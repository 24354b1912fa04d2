using Clinical.Api.Hosting;

namespace Clinical.Api.Cli;

/// <summary>
/// A host for verbs: same configuration sources and services as the web host; logs go to stderr so stdout stays
/// clean FHIR. Verbs that store or audit patient data open the database; the others (training, synthetic cohorts)
/// never touch it.
/// </summary>
internal static class VerbHost
{
    public static async Task<IHost> StartAsync(
        string[] configurationArgs,
        CancellationToken cancellationToken,
        bool withDatabase = true
    )
    {
        var builder = Host.CreateApplicationBuilder(configurationArgs);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None); // failures surface as exceptions, reported in one line
        builder.Services.AddClinical(builder.Configuration);
        var host = builder.Build();
        if (withDatabase)
            await ClinicalServices.EnsureDatabaseAsync(host.Services, cancellationToken);
        return host;
    }
}
