using Clinical.Fhir.Extraction;
using Terminology = Clinical.Fhir.Terminology;

namespace Clinical.Synthetic.Resources;

/// <summary>
/// Codes the generator writes, with the displays it writes; systems and codes come from the reader's terminology.
/// </summary>
internal static class SyntheticCodes
{
    public const string Loinc = Terminology.Loinc.System;
    public const string Snomed = Terminology.Snomed.System;
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string Atc = Terminology.DrugLexicon.AtcSystem;
    public const string RxNorm = Terminology.DrugLexicon.RxNormSystem;
    public const string Ucum = Terminology.Ucum.System;
    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";
    public const string ConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    public const string ConditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    public const string ConditionCategorySystem = "http://terminology.hl7.org/CodeSystem/condition-category";
    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public const string PractitionerRoleCodes = "http://terminology.hl7.org/CodeSystem/practitioner-role";
    public const string PatientIdentifierSystem = "urn:oid:2.16.724.4.9.99.1";

    public sealed record Code(string System, string Value, string Display);

    public static readonly Code BodyWeight = new(Loinc, Terminology.Loinc.BodyWeight, "Body weight");
    public static readonly Code BodyMassIndex = new(Loinc, Terminology.Loinc.Bmi, "Body mass index (BMI) [Ratio]");
    public static readonly Code BloodPressurePanel = new(
        Loinc,
        Terminology.Loinc.BloodPressurePanel,
        "Blood pressure panel with all children optional"
    );
    public static readonly Code SystolicPressure = new(Loinc, Terminology.Loinc.SystolicBp, "Systolic blood pressure");
    public static readonly Code DiastolicPressure = new(
        Loinc,
        Terminology.Loinc.DiastolicBp,
        "Diastolic blood pressure"
    );
    public static readonly Code HeartRate = new(Loinc, Terminology.Loinc.HeartRate, "Heart rate");
    public static readonly Code NtProBnp = new(
        Loinc,
        Terminology.Loinc.NtProBnp,
        "Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma"
    );
    public static readonly Code NtProBnpMoles = new(
        Loinc,
        Terminology.Loinc.NtProBnpAlternative,
        "Natriuretic peptide.B prohormone N-Terminal [Moles/volume] in Serum or Plasma"
    );
    public static readonly Code Bnp = new(
        Loinc,
        Terminology.Loinc.Bnp,
        "Natriuretic peptide B [Mass/volume] in Serum or Plasma"
    );
    public static readonly Code EgfrMdrd = new(
        Loinc,
        Terminology.Loinc.EgfrMdrd,
        "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] "
            + "in Serum or Plasma by Creatinine-based formula (MDRD)"
    );
    public static readonly Code EgfrCkdEpi = new(
        Loinc,
        Terminology.Loinc.EgfrCkdEpi,
        "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] "
            + "in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)"
    );
    public static readonly Code Creatinine = new(
        Loinc,
        Terminology.Loinc.Creatinine,
        "Creatinine [Mass/volume] in Serum or Plasma"
    );
    public static readonly Code Potassium = new(
        Loinc,
        Terminology.Loinc.Potassium,
        "Potassium [Moles/volume] in Serum or Plasma"
    );
    public static readonly Code Sodium = new(
        Loinc,
        Terminology.Loinc.Sodium,
        "Sodium [Moles/volume] in Serum or Plasma"
    );
    public static readonly Code Haemoglobin = new(
        Loinc,
        Terminology.Loinc.Haemoglobin,
        "Hemoglobin [Mass/volume] in Blood"
    );
    public static readonly Code LvefGeneric = new(
        Loinc,
        Terminology.Loinc.LvefEcho,
        "Left ventricular Ejection fraction"
    );
    public static readonly Code LvefByEcho = new(
        Loinc,
        Terminology.Loinc.LvefByEcho,
        "Left ventricular Ejection fraction by US"
    );
    public static readonly Code ProgressNote = new(Loinc, Terminology.Loinc.ProgressNote, "Progress note");

    public static readonly Code HeartFailure = new(Snomed, Terminology.Snomed.HeartFailure, "Heart failure");
    public static readonly Code CongestiveHeartFailure = new(Snomed, "42343007", "Congestive heart failure");
    public static readonly Code ChronicCongestiveHeartFailure = new(
        Snomed,
        "88805009",
        "Chronic congestive heart failure"
    );
    public static readonly Code ReducedEjectionFractionHf = new(
        Snomed,
        "703272007",
        "Heart failure with reduced ejection fraction"
    );
    public static readonly Code NormalEjectionFractionHf = new(
        Snomed,
        "446221000",
        "Heart failure with normal ejection fraction"
    );

    public static readonly Code HfUnspecified = new(Icd10Cm, "I50.9", "Insuficiencia cardiaca, no especificada");
    public static readonly Code HfChronicSystolic = new(
        Icd10Cm,
        "I50.22",
        "Insuficiencia cardiaca sistólica (congestiva) crónica"
    );
    public static readonly Code HfChronicDiastolic = new(
        Icd10Cm,
        "I50.32",
        "Insuficiencia cardiaca diastólica (congestiva) crónica"
    );
    public static readonly Code HfCongestiveWho = new(Icd10, "I50.0", "Congestive heart failure");
    public static readonly Code HfUnspecifiedWho = new(Icd10, "I50.9", "Heart failure, unspecified");

    public static readonly IReadOnlyDictionary<ConditionCategory, (Code Snomed, Code Icd)> ComorbidityCodes =
        new Dictionary<ConditionCategory, (Code, Code)>
        {
            [ConditionCategory.Hypertension] = (
                new(Snomed, "38341003", "Hypertensive disorder"),
                new(Icd10Cm, "I10", "Hipertensión esencial (primaria)")
            ),
            [ConditionCategory.Diabetes] = (
                new(Snomed, "44054006", "Diabetes mellitus type 2"),
                new(Icd10Cm, "E11.9", "Diabetes mellitus tipo 2 sin complicaciones")
            ),
            [ConditionCategory.AtrialFibrillation] = (
                new(Snomed, "49436004", "Atrial fibrillation"),
                new(Icd10Cm, "I48.91", "Fibrilación auricular no especificada")
            ),
            [ConditionCategory.Obesity] = (
                new(Snomed, "414916001", "Obesity"),
                new(Icd10Cm, "E66.9", "Obesidad, no especificada")
            ),
            [ConditionCategory.ChronicKidneyDisease] = (
                new(Snomed, "709044004", "Chronic kidney disease"),
                new(Icd10Cm, "N18.9", "Enfermedad renal crónica, no especificada")
            ),
            [ConditionCategory.Copd] = (
                new(Snomed, "13645005", "Chronic obstructive lung disease"),
                new(Icd10Cm, "J44.9", "Enfermedad pulmonar obstructiva crónica, no especificada")
            ),
            [ConditionCategory.IschaemicHeartDisease] = (
                new(Snomed, "414545008", "Ischemic heart disease"),
                new(
                    Icd10Cm,
                    "I25.10",
                    "Enfermedad cardiaca arteriosclerótica de arteria coronaria nativa sin angina de pecho"
                )
            ),
        };

    public static readonly Code Anaemia = new(Snomed, "271737000", "Anemia");
    public static readonly Code AnaemiaIcd = new(Icd10Cm, "D64.9", "Anemia, no especificada");
    public static readonly Code VenousInsufficiencyIcd = new(
        Icd10Cm,
        "I87.2",
        "Insuficiencia venosa (crónica) (periférica)"
    );

    /// <summary>
    /// The drugs the generator prescribes, as entries of the one drug lexicon: it writes their ATC code, Castilian name
    /// and RxNorm ingredient (where the lexicon has one).
    /// </summary>
    public static readonly IReadOnlyDictionary<Drug, Terminology.DrugEntry> Drugs = new Dictionary<
        Drug,
        Terminology.DrugEntry
    >
    {
        [Drug.Furosemide] = Terminology.DrugLexicon.Furosemide,
        [Drug.Torasemide] = Terminology.DrugLexicon.Torasemide,
        [Drug.Spironolactone] = Terminology.DrugLexicon.Spironolactone,
        [Drug.Eplerenone] = Terminology.DrugLexicon.Eplerenone,
        [Drug.Bisoprolol] = Terminology.DrugLexicon.Bisoprolol,
        [Drug.Carvedilol] = Terminology.DrugLexicon.Carvedilol,
        [Drug.Nebivolol] = Terminology.DrugLexicon.Nebivolol,
        [Drug.Metoprolol] = Terminology.DrugLexicon.Metoprolol,
        [Drug.Enalapril] = Terminology.DrugLexicon.Enalapril,
        [Drug.Ramipril] = Terminology.DrugLexicon.Ramipril,
        [Drug.Losartan] = Terminology.DrugLexicon.Losartan,
        [Drug.Valsartan] = Terminology.DrugLexicon.Valsartan,
        [Drug.SacubitrilValsartan] = Terminology.DrugLexicon.SacubitrilValsartan,
        [Drug.Dapagliflozin] = Terminology.DrugLexicon.Dapagliflozin,
        [Drug.Empagliflozin] = Terminology.DrugLexicon.Empagliflozin,
        [Drug.Amlodipine] = Terminology.DrugLexicon.Amlodipine,
        [Drug.Hydrochlorothiazide] = Terminology.DrugLexicon.Hydrochlorothiazide,
        [Drug.Metformin] = Terminology.DrugLexicon.Metformin,
        [Drug.Apixaban] = Terminology.DrugLexicon.Apixaban,
        [Drug.Acenocoumarol] = Terminology.DrugLexicon.Acenocoumarol,
        [Drug.Digoxin] = Terminology.DrugLexicon.Digoxin,
        [Drug.Atorvastatin] = Terminology.DrugLexicon.Atorvastatin,
        [Drug.Salbutamol] = Terminology.DrugLexicon.Salbutamol,
        [Drug.Tiotropium] = Terminology.DrugLexicon.Tiotropium,
        [Drug.FerrousSulfate] = Terminology.DrugLexicon.FerrousSulfate,
    };
}
