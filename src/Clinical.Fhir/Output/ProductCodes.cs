namespace Clinical.Fhir.Output;

/// <summary>
/// Codes the product defines itself. The canonical base is a placeholder under the reserved
/// .invalid domain until the deploying organisation publishes its own.
/// </summary>
public static class ProductCodes
{
    public const string ScreeningSystem = "https://hf-screening.invalid/fhir/CodeSystem/hf-screening";
    public const string PossibleUndiagnosedHeartFailure = "possible-undiagnosed-hf";
    public const string RiskProbabilitySystem = "http://terminology.hl7.org/CodeSystem/risk-probability";
    public const string FlagCategorySystem = "http://terminology.hl7.org/CodeSystem/flag-category";
    public const string ObservationValueSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    public const string AiAsserted = "AIAST";
    public const string AsOfExtension = "https://hf-screening.invalid/fhir/StructureDefinition/screening-as-of";
    public const string FlagDetailExtension = "http://hl7.org/fhir/StructureDefinition/flag-detail";

    /// <summary>meta.tag system whose code is the cohort run that produced a resource (searchable as _tag).</summary>
    public const string CohortRunSystem = "https://hf-screening.invalid/fhir/CodeSystem/cohort-run";
}
