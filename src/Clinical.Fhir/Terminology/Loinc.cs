namespace Clinical.Fhir.Terminology;

/// <summary>LOINC codes an HF screen reads (REFERENCE.md, loinc.org).</summary>
public static class Loinc
{
    public const string System = "http://loinc.org";

    public const string NtProBnp = "33762-6";
    public const string NtProBnpDisplay =
        "Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma";
    public const string NtProBnpAlternative = "71425-3";
    public const string Bnp = "30934-4";
    public const string LvefEcho = "10230-1";
    public const string LvefByEcho = "18043-0";
    public const string LvefGeneral = "8806-2";
    public const string BodyWeight = "29463-7";
    public const string Bmi = "39156-5";
    public const string BloodPressurePanel = "85354-9";
    public const string SystolicBp = "8480-6";
    public const string DiastolicBp = "8462-4";
    public const string HeartRate = "8867-4";
    public const string EgfrMdrd = "33914-3";
    public const string EgfrCkdEpi = "62238-1";
    public const string EgfrCkdEpi2021 = "98979-8";
    public const string Creatinine = "2160-0";
    public const string Potassium = "2823-3";
    public const string Sodium = "2951-2";
    public const string Haemoglobin = "718-7";
    public const string ProgressNote = "11506-3";

    /// <summary>NT-proBNP and BNP codes, as the extraction reads them and the prefetch asks.</summary>
    public static readonly IReadOnlyList<string> NatriureticPeptides = [NtProBnp, NtProBnpAlternative, Bnp];

    /// <summary>Left ventricular ejection fraction codes, as the extraction reads them and the prefetch asks.</summary>
    public static readonly IReadOnlyList<string> EjectionFraction = [LvefEcho, LvefByEcho, LvefGeneral];
}
