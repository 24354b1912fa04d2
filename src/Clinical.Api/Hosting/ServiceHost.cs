using Clinical.Api.Errors;
using Clinical.Api.Features.Audit;
using Clinical.Api.Features.CdsHooks;
using Clinical.Api.Features.Cohorts;
using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Api.Features.Flags;
using Clinical.Api.Features.Metadata;
using Clinical.Api.Features.Screening;
using Clinical.Api.Features.Search;

namespace Clinical.Api.Hosting;

/// <summary>
/// The HTTP service: FHIR operations, CDS Hooks, health, and one error handler that speaks OperationOutcome.
/// </summary>
public static class ServiceHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(
            new WebApplicationOptions { Args = args, WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot") }
        );
        builder.Services.AddClinical(builder.Configuration);
        builder.Services.AddClinicalAuthentication(builder.Configuration, builder.Environment);
        builder.Services.AddClinicalEdgeProtection(builder.Configuration);
        builder.Services.AddRequestBudgets(builder.Configuration);
        builder.Services.AddClinicalOperations();
        builder.Services.AddHostedService(services => services.GetRequiredService<CohortRunner>());
        builder.Services.AddDashboard(builder.Configuration, builder.Environment);
        builder.Services.AddExceptionHandler<OperationOutcomeExceptionHandler>();
        builder.Services.AddProblemDetails();
        // ASP.NET Core's request lines hold the path and query (?subject=Patient/123); the service logs its own, by
        // route template (EdgeProtection.UseRequestMetrics).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        var limits = LimitsOptions.From(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize =
                builder.Configuration.GetSection(ClinicalOptions.Section).Get<ClinicalOptions>()?.MaxRequestBytes
                ?? new ClinicalOptions().MaxRequestBytes;
            kestrel.Limits.MaxRequestLineSize = limits.KestrelRequestLineBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.KestrelHeaderBytes;
        });

        var app = builder.Build();
        ClinicalAuthentication.UseDevelopmentKey(app);
        app.UseExceptionHandler();
        app.UseOperationOutcomeForEveryStatus();
        app.UseRequestSizeLimits();
        app.UseRequestMetrics();
        app.UseClinicalCors();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseRequestTimeouts();
        app.UseLargeBodyGate();
        app.UseDashboard();

        app.MapOperations();
        var fhir = app.MapGroup("/fhir");
        fhir.MapCapabilityStatement();
        fhir.MapOperationDefinitions();
        fhir.MapScreenBundle();
        fhir.MapScreenPatientOperation();
        fhir.MapSearchRiskAssessments();
        fhir.MapSearchFlags();
        fhir.MapCloseFlag();
        fhir.MapSearchAuditEvents();
        fhir.MapStartCohortRun();
        fhir.MapCohortRuns();
        var cds = app.MapGroup("/cds-services").RequireAuthorization(Policies.CdsClient);
        cds.MapDiscovery();
        cds.MapHfScreeningHook();
        cds.MapFeedback();
        ClinicalServices.EnsureDatabaseAsync(app.Services).GetAwaiter().GetResult();
        return app;
    }
}
