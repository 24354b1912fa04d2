using System.Runtime.InteropServices;
using Clinical.Api.FhirHttp;
using Clinical.Api.Hosting;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Mediator;

namespace Clinical.Api.Features.Screening;

/// <summary>
/// POST /fhir/Patient/$hf-screen: the same screening as Bundle/$hf-screen, called the FHIR-operation way with a
/// Parameters resource (part "bundle": the patient's data; optional part "asOf": valueDate). Sends the same
/// ScreenBundle request.
/// </summary>
public static class ScreenPatientOperation
{
    public static void MapScreenPatientOperation(this RouteGroupBuilder fhir) =>
        fhir.MapPost(
                "/Patient/$hf-screen",
                async (HttpRequest http, IMediator mediator, TimeProvider clock, CancellationToken cancellationToken) =>
                {
                    FhirContent.RequireFhirJson(http);
                    using var body = await ParametersJson.ReadAsync(http, cancellationToken);
                    var parts = ParametersJson.Parts(body.RootElement).ToList();
                    var bundle =
                        parts
                            .Where(p => p.Name == "bundle")
                            .Select(p =>
                                p.Value.TryGetProperty("resource", out var r)
                                    ? JsonMarshal.GetRawUtf8Value(r).ToArray()
                                    : null
                            )
                            .FirstOrDefault()
                        ?? throw new FhirInputException([
                            new InputIssue(
                                IssueSeverity.Error,
                                "invalid",
                                "Parameters has no part 'bundle' with a resource (the patient's data as a Bundle).",
                                "Parameters.parameter"
                            ),
                        ]);
                    var asOf = ParametersJson.StringValue(parts, "asOf", "valueDate");
                    var outcome = await mediator.Send(
                        new ScreenBundle(
                            bundle,
                            "Parameters.parameter[bundle]",
                            FhirContent.ParseDate(asOf, "asOf"),
                            FhirContent.Caller(http),
                            SmartScopes.Access(http.HttpContext.User, "RiskAssessment", "c")
                        ),
                        cancellationToken
                    );
                    return FhirContent.Result(
                        ScreeningBundleBuilder.Build(
                            outcome.Model,
                            outcome.Screenings,
                            outcome.Issues,
                            clock.GetUtcNow()
                        )
                    );
                }
            )
            .WithName("ScreenPatient")
            .RequireAuthorization(Policies.Screen);
}
