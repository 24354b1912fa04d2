using Clinical.Api.FhirHttp;
using Hl7.Fhir.Model;

namespace Clinical.Api.Features.Metadata;

/// <summary>
/// The operations this server defines, served at GET /fhir/OperationDefinition/{id} and referenced by the
/// CapabilityStatement.
/// </summary>
public static class OperationDefinitions
{
    public const string Base = "https://hf-screening.invalid/fhir/OperationDefinition/";

    public static readonly IReadOnlyList<OperationDefinition> All =
    [
        Screen(
            "Bundle-hf-screen",
            ResourceType.Bundle,
            "The request body is the Bundle (or a single resource) itself; query parameter asOf=YYYY-MM-DD.",
            withBundleParameter: false
        ),
        Screen(
            "Patient-hf-screen",
            ResourceType.Patient,
            "The request body is a Parameters resource with part 'bundle' (the patient's data) and optional 'asOf'.",
            withBundleParameter: true
        ),
        ScreenCohort(),
        new OperationDefinition
        {
            Id = "Flag-close",
            Url = Base + "Flag-close",
            Name = "CloseFlag",
            Title = "Close a heart-failure screening flag",
            Status = PublicationStatus.Active,
            Kind = OperationDefinition.OperationKind.Operation,
            Code = "close",
            // The flag's status changes and the change is recorded: not safe to repeat (R4 affectsState).
            AffectsState = true,
            Resource = [ResourceType.Flag],
            System = false,
            Type = false,
            Instance = true,
            Description =
                "A clinician (role clinician, scope Flag.u) closes an active flag; its status becomes inactive "
                + "and the change is kept in the flag's history.",
            Parameter =
            [
                Parameter(
                    "reason",
                    OperationParameterUse.In,
                    0,
                    "1",
                    FHIRAllTypes.String,
                    "Why the flag is closed (no patient identifiers)."
                ),
                Parameter(
                    "return",
                    OperationParameterUse.Out,
                    1,
                    "1",
                    FHIRAllTypes.Flag,
                    "The flag with its new status."
                ),
            ],
        },
    ];

    public static void MapOperationDefinitions(this RouteGroupBuilder fhir) =>
        fhir.MapGet(
                "/OperationDefinition/{id}",
                (HttpRequest http, string id) =>
                {
                    FhirContent.RequireAcceptable(http);
                    return FhirContent.Result(
                        All.FirstOrDefault(d => d.Id == id)
                            ?? throw new Errors.NotFoundException($"OperationDefinition/{id} is not defined here.")
                    );
                }
            )
            .WithName("OperationDefinition");

    private static OperationDefinition ScreenCohort() =>
        new()
        {
            Id = "hf-screen-cohort",
            Url = Base + "hf-screen-cohort",
            Name = "HfScreenCohort",
            Title = "Heart-failure screening of a cohort (asynchronous)",
            Status = PublicationStatus.Active,
            Kind = OperationDefinition.OperationKind.Operation,
            Code = "hf-screen-cohort",
            AffectsState = true,
            System = true,
            Type = false,
            Instance = false,
            Description =
                "Screens every patient of the inputs (Bulk Data export folders, folders of Bundles) as a batch job, "
                + "storing each result under the run id (meta.tag https://hf-screening.invalid/fhir/CodeSystem/"
                + "cohort-run|RUN; search RiskAssessment?_tag=...). Admin role. FHIR asynchronous request pattern: "
                + "send Prefer: respond-async; the answer is 202 with Content-Location, the run's status URL, which "
                + "answers 202 with X-Progress while the run works, then 200 with a Bulk Data output manifest "
                + "(RiskAssessment, Flag, Provenance, DocumentReference NDJSON; OperationOutcome under error; "
                + "summary.json and flagged.csv in the manifest's extension); DELETE on it cancels the run.",
            Parameter =
            [
                Parameter(
                    "input",
                    OperationParameterUse.In,
                    1,
                    "*",
                    FHIRAllTypes.String,
                    "A folder (Bulk export or Bundles) or Bundle file inside a folder the server allows "
                        + "(Clinical:Cohorts:InputFolders)."
                ),
                Parameter(
                    "asOf",
                    OperationParameterUse.In,
                    0,
                    "1",
                    FHIRAllTypes.Date,
                    "Screen the records as they stood on this date (default today)."
                ),
                Parameter(
                    "summaries",
                    OperationParameterUse.In,
                    0,
                    "1",
                    FHIRAllTypes.Code,
                    "none (default) or flagged: a grounded notes summary (DocumentReference) per flagged patient."
                ),
                Parameter(
                    "runId",
                    OperationParameterUse.In,
                    0,
                    "1",
                    FHIRAllTypes.String,
                    "The run id (letters, digits, '-', '.'; default: time and random digits)."
                ),
            ],
        };

    private static OperationDefinition Screen(string id, ResourceType type, string usage, bool withBundleParameter)
    {
        var definition = new OperationDefinition
        {
            Id = id,
            Url = Base + id,
            Name = "HfScreen" + type,
            Title = "Heart-failure screening",
            Status = PublicationStatus.Active,
            Kind = OperationDefinition.OperationKind.Operation,
            Code = "hf-screen",
            // Each result is stored (searchable, on the worklist), so a screen is a write (R4 affectsState).
            AffectsState = true,
            Resource = [type],
            System = false,
            Type = true,
            Instance = false,
            Description =
                "Screens each patient in the input for possible undiagnosed heart failure and returns a collection "
                + "Bundle with a RiskAssessment, Provenance and, when HF is possible but undiagnosed, a Flag. "
                + "Results are stored. "
                + usage,
        };
        if (withBundleParameter)
        {
            definition.Parameter.Add(
                Parameter("bundle", OperationParameterUse.In, 1, "1", FHIRAllTypes.Bundle, "The patient's data.")
            );
            definition.Parameter.Add(
                Parameter(
                    "asOf",
                    OperationParameterUse.In,
                    0,
                    "1",
                    FHIRAllTypes.Date,
                    "Screen the record as it stood on this date (default today)."
                )
            );
        }
        else
        {
            definition.Parameter.Add(
                Parameter(
                    "asOf",
                    OperationParameterUse.In,
                    0,
                    "1",
                    FHIRAllTypes.Date,
                    "Query parameter: screen the record as it stood on this date."
                )
            );
        }
        definition.Parameter.Add(
            Parameter(
                "return",
                OperationParameterUse.Out,
                1,
                "1",
                FHIRAllTypes.Bundle,
                "Collection Bundle with the results."
            )
        );
        return definition;
    }

    private static OperationDefinition.ParameterComponent Parameter(
        string name,
        OperationParameterUse use,
        int min,
        string max,
        FHIRAllTypes type,
        string documentation
    ) =>
        new()
        {
            Name = name,
            Use = use,
            Min = min,
            Max = max,
            Type = type,
            Documentation = documentation,
        };
}
