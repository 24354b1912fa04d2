using Clinical.Api.Persistence;

namespace Clinical.Api.Hosting;

/// <summary>
/// Operating the service: liveness, readiness (the database answers), and the OpenAPI document of the non-FHIR
/// endpoints.
/// </summary>
public static class Operations
{
    public static IServiceCollection AddClinicalOperations(this IServiceCollection services) =>
        services.AddOpenApi(openApi =>
            openApi.ShouldInclude = description =>
                description.RelativePath is { } path && !path.StartsWith("fhir", StringComparison.Ordinal)
        );

    public static void MapOperations(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).ExcludeFromDescription();
        app.MapGet(
                "/readyz",
                async (ClinicalDbContext db, CancellationToken cancellationToken) =>
                    await db.Database.CanConnectAsync(cancellationToken)
                        ? Results.Ok(new { status = "ready" })
                        : Results.Json(
                            new { status = "database unavailable" },
                            statusCode: StatusCodes.Status503ServiceUnavailable
                        )
            )
            .ExcludeFromDescription();
        app.MapOpenApi("/openapi/{documentName}.json");
    }
}
