using Clinical.Models.Summaries;

namespace Clinical.Models.Tests.Summaries;

/// <summary>
/// Summary inputs written like the product's fixtures (posible-ic-no-diagnosticada.json and a Catalan twin).
/// </summary>
internal static class SummaryInputs
{
    /// <summary>
    /// A few drugs as the host maps them from the drug lexicon (Clinical.Fhir's Terminology, which Models does not
    /// reference; the Api tests run the real mapping).
    /// </summary>
    public static readonly DrugVocabulary Drugs = new([
        new SummaryDrug("furosemida", ["furosemida", "furosemide", "Seguril"], true),
        new SummaryDrug("bisoprolol", ["bisoprolol"], false),
        new SummaryDrug("enalapril", ["enalapril"], false),
        new SummaryDrug("diurético", ["diurético", "diuretic", "diürètic", "diuretiko"], true),
    ]);

    public static readonly ExtractiveSummarizer Extractive = new(Drugs);

    public const string SpanishNote =
        "Varón de 74 a. HTA y DM2. Refiere disnea de esfuerzo progresiva desde hace 3 meses, ahora al subir un piso, "
        + "y edemas maleolares bilaterales por la tarde. "
        + "Niega ortopnea y DPN. TA 152/88, FC 92 lpm, SatO2 95%. Ganancia de 3 kg en 2 meses. Se solicita NT-proBNP.";

    public static SummaryInput PossibleHeartFailure(params SummaryNote[] extraNotes) =>
        new(
            "Patient/fx-posible-ic",
            new DateOnly(2026, 6, 30),
            "es",
            [
                new SummaryNote(SpanishNote, new DateOnly(2026, 3, 5), "DocumentReference/fx-posible-nota"),
                .. extraNotes,
            ],
            [
                new KeyValue(
                    KeyValueKind.NtProBnp,
                    870.2253m,
                    "pg/mL",
                    null,
                    new DateOnly(2026, 3, 12),
                    "Observation/fx-posible-ntprobnp"
                ),
                new KeyValue(
                    KeyValueKind.Weight,
                    88.4m,
                    "kg",
                    null,
                    new DateOnly(2026, 3, 12),
                    "Observation/fx-posible-peso"
                ),
            ],
            [
                new SummaryDiagnosis(
                    "Hipertensión esencial",
                    false,
                    true,
                    new DateOnly(2012, 6, 1),
                    "Condition/fx-posible-hta"
                ),
                new SummaryDiagnosis(
                    "Diabetes mellitus tipo 2",
                    false,
                    true,
                    new DateOnly(2016, 3, 10),
                    "Condition/fx-posible-dm2"
                ),
            ],
            [
                new SummaryMedication(
                    "Furosemida 40 mg comprimidos",
                    "LoopDiuretic",
                    new DateOnly(2026, 3, 12),
                    "MedicationRequest/fx-furo"
                ),
            ]
        );

    public static SummaryInput Catalan() =>
        PossibleHeartFailure() with
        {
            Language = "ca",
            Notes =
            [
                new SummaryNote(
                    "Home de 78 anys. Refereix dispnea d'esforç des de fa 2 mesos i edemes mal·leolars. "
                        + "Nega ortopnea. Crepitants bibasals.",
                    new DateOnly(2026, 4, 2),
                    "DocumentReference/fx-ca-nota"
                ),
            ],
        };
}
