using Clinical.Api.FhirHttp;
using Hl7.Fhir.Model;

namespace Clinical.Api.Features.Metadata;

/// <summary>GET /fhir/metadata: what this server does, including the $hf-screen operation.</summary>
public static class CapabilityStatementEndpoint
{
    public const string HfScreenDefinition = OperationDefinitions.Base + "Bundle-hf-screen";

    public static void MapCapabilityStatement(this RouteGroupBuilder fhir) =>
        fhir.MapGet("/metadata", (TimeProvider clock) => FhirContent.Result(Build(clock.GetUtcNow())))
            .WithName("CapabilityStatement");

    private static CapabilityStatement.OperationComponent Operation(string name, string id, string documentation) =>
        new()
        {
            Name = name,
            Definition = OperationDefinitions.Base + id,
            Documentation = documentation,
        };

    private static CapabilityStatement.ResourceComponent Searchable(
        ResourceType type,
        (string Name, SearchParamType Type)[] parameters,
        CapabilityStatement.OperationComponent? operation = null
    ) =>
        new()
        {
            Type = type.ToString(),
            Interaction =
            [
                new CapabilityStatement.ResourceInteractionComponent
                {
                    Code = CapabilityStatement.TypeRestfulInteraction.SearchType,
                },
            ],
            SearchParam = parameters
                .Select(p => new CapabilityStatement.SearchParamComponent { Name = p.Name, Type = p.Type })
                .ToList(),
            Operation = operation is null ? [] : [operation],
        };

    public static CapabilityStatement Build(DateTimeOffset now) =>
        new()
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
                Description =
                    "Heart-failure screening for primary care "
                    + "(decision support pilot; not a certified medical device).",
            },
            Rest =
            [
                new CapabilityStatement.RestComponent
                {
                    Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                    Security = new CapabilityStatement.SecurityComponent
                    {
                        Service =
                        [
                            new CodeableConcept(
                                "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                "SMART-on-FHIR",
                                "SMART-on-FHIR"
                            ),
                        ],
                        Description =
                            "Bearer JWT (RS384/ES384) from an allow-listed issuer, aud = this FHIR base URL, "
                            + "single-use jti. Scopes: $hf-screen needs RiskAssessment.c; RiskAssessment search "
                            + "RiskAssessment.rs; Flag search Flag.rs; Flag $close Flag.u and role clinician; "
                            + "AuditEvent and $hf-screen-cohort role admin.",
                    },
                    Operation =
                    [
                        Operation(
                            "hf-screen-cohort",
                            "hf-screen-cohort",
                            "Screen a cohort (Bulk Data export folders or Bundle folders on the server, by "
                                + "reference) as an asynchronous batch job (Prefer: respond-async); results are "
                                + "stored under the run id and returned as a Bulk Data manifest of NDJSON files."
                        ),
                    ],
                    Resource =
                    [
                        new CapabilityStatement.ResourceComponent
                        {
                            Type = ResourceType.Bundle.ToString(),
                            Operation =
                            [
                                Operation(
                                    "hf-screen",
                                    "Bundle-hf-screen",
                                    "POST a Bundle (collection, transaction, batch, searchset or document); returns a "
                                        + "collection Bundle with a RiskAssessment per patient and a Flag for possible "
                                        + "undiagnosed heart failure. Optional query parameter asOf=YYYY-MM-DD."
                                ),
                            ],
                        },
                        new CapabilityStatement.ResourceComponent
                        {
                            Type = ResourceType.Patient.ToString(),
                            Operation =
                            [
                                Operation(
                                    "hf-screen",
                                    "Patient-hf-screen",
                                    "POST a Parameters resource with part 'bundle' (the patient's data) "
                                        + "and optional 'asOf' (valueDate)."
                                ),
                            ],
                        },
                        Searchable(
                            ResourceType.RiskAssessment,
                            [
                                ("subject", SearchParamType.Reference),
                                ("patient", SearchParamType.Reference),
                                ("_tag", SearchParamType.Token),
                                ("_count", SearchParamType.Number),
                            ]
                        ),
                        Searchable(
                            ResourceType.Flag,
                            [
                                ("subject", SearchParamType.Reference),
                                ("patient", SearchParamType.Reference),
                                ("status", SearchParamType.Token),
                                ("_count", SearchParamType.Number),
                            ],
                            Operation(
                                "close",
                                "Flag-close",
                                "A clinician closes an active flag (POST /fhir/Flag/{id}/$close)."
                            )
                        ),
                        Searchable(
                            ResourceType.AuditEvent,
                            [("patient", SearchParamType.Reference), ("_count", SearchParamType.Number)]
                        ),
                        new CapabilityStatement.ResourceComponent
                        {
                            Type = ResourceType.OperationDefinition.ToString(),
                            Interaction =
                            [
                                new CapabilityStatement.ResourceInteractionComponent
                                {
                                    Code = CapabilityStatement.TypeRestfulInteraction.Read,
                                },
                            ],
                        },
                    ],
                },
            ],
        };
}
