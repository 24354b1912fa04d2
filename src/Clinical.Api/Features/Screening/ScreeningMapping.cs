using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Clinical.Models.Scoring;
using Clinical.Models.Scoring.Wording;

namespace Clinical.Api.Features.Screening;

/// <summary>
/// The one place where FHIR-extracted records become model inputs, and model estimates become FHIR reports.
/// </summary>
public static class ScreeningMapping
{
    private static readonly string[] FinishedMedication = ["Stopped", "Completed", "NotTaken", "OnHold", "Revoked"];

    public static RiskInput ToRiskInput(PatientRecord record) =>
        new(
            record.PatientReference,
            record.AsOf,
            record.AgeYears,
            record
                .Measurements.Where(m => m.Kind is MeasurementKind.NtProBnp or MeasurementKind.Bnp)
                .Select(m => new PeptideResult(
                    m.Kind == MeasurementKind.NtProBnp ? PeptideKind.NtProBnp : PeptideKind.Bnp,
                    (double)m.Value,
                    m.Comparator,
                    m.When,
                    m.Source
                ))
                .ToList(),
            record
                .ActiveHeartFailure.Select(d => new KnownDiagnosis(
                    d.Display ?? $"{d.System}|{d.Code}",
                    d.When,
                    d.Source
                ))
                .ToList()
        )
        {
            Sex = record.Sex switch
            {
                Sex.Female => PatientSex.Female,
                Sex.Male => PatientSex.Male,
                _ => PatientSex.Unknown,
            },
            Vitals = record
                .Measurements.Select(m => (Kind: ToVital(m.Kind), Measurement: m))
                .Where(v => v.Kind is not null)
                .Select(v => new VitalValue(
                    v.Kind!.Value,
                    (double)v.Measurement.Value,
                    v.Measurement.When,
                    v.Measurement.Source
                ))
                .ToList(),
            Comorbidities = record
                .Diagnoses.Where(d => d.IsActive && d.Category != ConditionCategory.HeartFailure)
                .Select(d => new ComorbidityFact(
                    ToComorbidity(d.Category),
                    d.Display ?? $"{d.System}|{d.Code}",
                    d.When,
                    d.Source
                ))
                .ToList(),
            Treatments = record
                .Medications.Where(m => m.Status is null || !FinishedMedication.Contains(m.Status))
                .Select(m => new TreatmentFact(
                    ToTreatment(m.Class),
                    m.Display ?? $"{m.System}|{m.Code}",
                    m.When,
                    m.Source
                ))
                .ToList(),
            Notes = record
                .Notes.Where(IsScored)
                .Select(n => new NoteText(n.Text, n.Language, n.When, n.Source))
                .ToList(),
        };

    /// <summary>
    /// The languages notes are scored in: those the clinical-language layer reads (Castilian, Catalan, Galician,
    /// Basque; its lexicons), which are the languages of the notes the classifier was trained on. A note in any other
    /// language (declared, or detected: English, Russian, Chinese, bytes that are not text) is not given to the note
    /// classifier or the sign reader, which would score it as if it were Spanish (issue 16: p rose from 0.88 to 0.96).
    /// </summary>
    public static bool IsScored(ClinicalNote note) => ScoredLanguages.Contains(note.Language);

    private static readonly HashSet<string> ScoredLanguages = Clinical
        .Models.Language.MentionReader.Lexicons.Select(l => l.Language)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// One warning per note that was not scored: not read (URL only, not text, over the size limit, bytes not valid in
    /// its charset) or in a language that is not scored. A note is never left out silently.
    /// </summary>
    public static IEnumerable<InputIssue> NoteIssues(PatientRecord record, string source) =>
        record
            .UnreadNotes.Select(u => new InputIssue(
                IssueSeverity.Warning,
                "not-supported",
                $"{u.Source}: {u.Reason}",
                Source: source
            ))
            .Concat(
                record
                    .Notes.Where(n => !IsScored(n))
                    .Select(n => new InputIssue(
                        IssueSeverity.Warning,
                        "not-supported",
                        $"{n.Source}: {n.Origin}: the note is in "
                            + (
                                n.Language == Clinical.Fhir.Notes.LanguageDetector.Undetermined
                                    ? "no language this service reads (not Latin-script text)"
                                    : $"'{n.Language}'" + (n.LanguageDeclared ? " (declared)" : " (detected)")
                            )
                            + "; only Spanish, Catalan, Galician and Basque notes are scored, so it was not.",
                        Source: source
                    ))
            );

    /// <summary>
    /// The language a patient's report is worded in: the configured one (Clinical:Language) when set, else the
    /// language most of the patient's notes are written in (es, ca, gl, eu), else Spanish.
    /// </summary>
    public static string LanguageOf(PatientRecord record, string? configured) =>
        RiskWording.Supports(configured) ? configured! : RiskWording.For(record.NotesLanguage).Language;

    public static ScreeningReport ToReport(
        PatientRecord record,
        RiskEstimate estimate,
        DateTimeOffset screenedAt,
        string language
    )
    {
        var wording = RiskWording.For(language);
        var phrases = wording.Phrases;
        return new ScreeningReport(
            record.PatientReference,
            record.AsOf,
            screenedAt,
            (decimal)Math.Round(estimate.Probability, 4),
            estimate.Category switch
            {
                RiskCategory.Negligible => RiskLevel.Negligible,
                RiskCategory.Low => RiskLevel.Low,
                RiskCategory.Moderate => RiskLevel.Moderate,
                RiskCategory.High => RiskLevel.High,
                RiskCategory.Certain => RiskLevel.Certain,
                _ => throw new ArgumentOutOfRangeException(nameof(estimate)),
            },
            estimate
                .Findings.Select(f => new EvidenceItem(
                    f.Source,
                    wording.Describe(f),
                    f.When,
                    f.SpanStart,
                    f.SpanLength
                ))
                .ToList(),
            estimate.Rationale,
            new ReportText(
                wording.Language,
                wording.Explanation(estimate),
                wording.Note(estimate),
                char.ToUpper(phrases.HeartFailure[0], phrases.Culture) + phrases.HeartFailure[1..],
                phrases.Risk(estimate.Category),
                phrases.PossibleUndiagnosedHeartFailure,
                phrases.RiskAssessmentTitle
            ),
            new ModelIdentity(estimate.ModelName, estimate.ModelVersion)
        )
        {
            Links = record.Links,
        };
    }

    private static VitalKind? ToVital(MeasurementKind kind) =>
        kind switch
        {
            MeasurementKind.Lvef => VitalKind.Lvef,
            MeasurementKind.Bmi => VitalKind.Bmi,
            MeasurementKind.SystolicBp => VitalKind.SystolicBp,
            MeasurementKind.DiastolicBp => VitalKind.DiastolicBp,
            MeasurementKind.HeartRate => VitalKind.HeartRate,
            MeasurementKind.Egfr => VitalKind.Egfr,
            MeasurementKind.Haemoglobin => VitalKind.Haemoglobin,
            MeasurementKind.BodyWeight => VitalKind.BodyWeight,
            _ => null,
        };

    private static Comorbidity ToComorbidity(ConditionCategory category) =>
        category switch
        {
            ConditionCategory.Hypertension => Comorbidity.Hypertension,
            ConditionCategory.AtrialFibrillation => Comorbidity.AtrialFibrillation,
            ConditionCategory.Diabetes => Comorbidity.Diabetes,
            ConditionCategory.ChronicKidneyDisease => Comorbidity.ChronicKidneyDisease,
            ConditionCategory.IschaemicHeartDisease => Comorbidity.IschaemicHeartDisease,
            ConditionCategory.Copd => Comorbidity.Copd,
            ConditionCategory.Obesity => Comorbidity.Obesity,
            ConditionCategory.ValveDisease => Comorbidity.ValveDisease,
            ConditionCategory.Anaemia => Comorbidity.Anaemia,
            _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
        };

    private static Treatment ToTreatment(DrugClass drug) =>
        drug switch
        {
            DrugClass.LoopDiuretic => Treatment.LoopDiuretic,
            DrugClass.MineralocorticoidAntagonist => Treatment.MineralocorticoidAntagonist,
            DrugClass.SacubitrilValsartan => Treatment.SacubitrilValsartan,
            DrugClass.Sglt2Inhibitor => Treatment.Sglt2Inhibitor,
            DrugClass.HeartFailureBetaBlocker => Treatment.HeartFailureBetaBlocker,
            DrugClass.AceInhibitor => Treatment.AceInhibitor,
            DrugClass.AngiotensinReceptorBlocker => Treatment.AngiotensinReceptorBlocker,
            DrugClass.Digoxin => Treatment.Digoxin,
            DrugClass.Ivabradine => Treatment.Ivabradine,
            DrugClass.CalciumChannelBlockerDihydropyridine => Treatment.DihydropyridineCalciumBlocker,
            _ => throw new ArgumentOutOfRangeException(nameof(drug), drug, null),
        };
}
