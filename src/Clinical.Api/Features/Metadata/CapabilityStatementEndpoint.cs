using Hl7.Fhir.Model;

namespace Clinical.Api.Features.Metadata;

/// <summary>GET /fhir/metadata: what this server does, including the $hf-screen operation.</summary>
public static class CapabilityStatementEndpoint
{
    public const string HfScreenDefinition = "https://hf-screening.invalid/fhir/OperationDefinition/Bundle-hf-screen";

    public static void MapCapabilityStatement(this RouteGroupBuilder fhir) =>
        fhir.MapGet("/metadata", (TimeProvider clock) => FhirContent.Result(Build(clock.GetUtcNow())))
            .WithName("CapabilityStatement");

    public static CapabilityStatement Build(DateTimeOffset now) => new()
    {
        Status = PublicationStatus.Active,
        Date = now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        Kind = CapabilityStatementKind.Instance,
        FhirVersion = FHIRVersion.N4_0_1,
        Format = ["application/fhir+json"],
        Software = new CapabilityStatement.SoftwareComponent
        {
            Name = "Clinical HF screening",
            Version = typeof(CapabilityStatementEndpoint).Assembly.GetName().Version?.ToString(3),
        },
        Implementation = new CapabilityStatement.ImplementationComponent
        {
            Description = "Heart-failure screening for primary care (decision support pilot; not a certified medical device).",
        },
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Resource =
                [
                    new CapabilityStatement.ResourceComponent
                    {
                        Type = ResourceType.Bundle.ToString(),
                        Operation =
                        [
                            new CapabilityStatement.OperationComponent
                            {
                                Name = "hf-screen",
                                Definition = HfScreenDefinition,
                                Documentation = "POST a Bundle (collection, transaction, batch, searchset or document); returns a collection Bundle with a RiskAssessment per patient and a Flag for possible undiagnosed heart failure. Optional query parameter asOf=YYYY-MM-DD.",
                            },
                        ],
                    },
                ],
            },
        ],
    };
}
