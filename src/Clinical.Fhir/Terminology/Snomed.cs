namespace Clinical.Fhir.Terminology;

/// <summary>SNOMED CT concepts for HF and its comorbidities.</summary>
public static class Snomed
{
    public const string System = "http://snomed.info/sct";

    public const string HeartFailure = "84114007";

    /// <summary>The procedure the CDS card proposes to confirm or phenotype HF (ESC 2021: echocardiography).</summary>
    public const string Echocardiography = "40701008";
    public const string EchocardiographyDisplay = "Echocardiography (procedure)";

    /// <summary>84114007 and the descendants seen in primary-care and Synthea records.</summary>
    public static readonly IReadOnlySet<string> HeartFailureConcepts = new HashSet<string>(StringComparer.Ordinal)
    {
        HeartFailure,
        "42343007", // congestive heart failure
        "88805009", // chronic congestive heart failure
        "85232009", // left heart failure
        "703272007", // heart failure with reduced ejection fraction
        "446221000", // heart failure with normal ejection fraction
        "703273002", // heart failure with mid-range / mildly reduced ejection fraction
        "10335000", // chronic right-sided heart failure
        "367363000", // right ventricular failure
        "10633002", // acute congestive heart failure
        "56675007", // acute heart failure
        "48447003", // chronic heart failure
        "417996009", // systolic heart failure
        "418304008", // diastolic heart failure
        "441481004", // chronic systolic heart failure
        "441530006", // chronic diastolic heart failure
        "443254009", // acute systolic heart failure
        "443343001", // acute diastolic heart failure
        "5148006", // hypertensive heart disease with congestive heart failure
    };
}
