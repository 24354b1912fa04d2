using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Models.Scoring;

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
            Notes = record.Notes.Select(n => new NoteText(n.Text, n.Language, n.When, n.Source)).ToList(),
        };

    public static ScreeningReport ToReport(PatientRecord record, RiskEstimate estimate, DateTimeOffset screenedAt)
    {
        var explanation =
            estimate.Missing.Count == 0
                ? estimate.Explanation
                : $"{estimate.Explanation} Falta: {string.Join("; ", estimate.Missing)}.";
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
                .Findings.Select(f => new EvidenceItem(f.Source, f.Description, f.When, f.SpanStart, f.SpanLength))
                .ToList(),
            estimate.Rationale,
            explanation,
            new ModelIdentity(estimate.ModelName, estimate.ModelVersion)
        );
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
