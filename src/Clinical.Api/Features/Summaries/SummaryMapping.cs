using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Fhir.Terminology;
using Clinical.Models.Summaries;

namespace Clinical.Api.Features.Summaries;

/// <summary>
/// The one place where a FHIR-extracted record becomes a summary input, and a summary becomes a FHIR document.
/// </summary>
public static class SummaryMapping
{
    /// <summary>
    /// The drug lexicon as the summaries need it: each entry's Castilian name, every spelling, and whether naming it
    /// points at HF being treated (loop diuretics, MRAs and sacubitril/valsartan, as the risk engine's treatment
    /// evidence reads them; and diuretics named as a group, which in these notes are mostly loop diuretics).
    /// </summary>
    public static readonly DrugVocabulary Drugs = new(
        DrugLexicon
            .All.Select(d => new SummaryDrug(
                d.Spanish,
                d.Spellings,
                d.Class
                    is DrugClass.LoopDiuretic
                        or DrugClass.MineralocorticoidAntagonist
                        or DrugClass.SacubitrilValsartan
                    || d == DrugLexicon.Diuretics
            ))
            .ToList()
    );

    public static SummaryInput ToSummaryInput(PatientRecord record) =>
        new(
            record.PatientReference,
            record.AsOf,
            LanguageOf(record.Notes),
            record.Notes.Select(n => new SummaryNote(n.Text, CalendarDay.Of(n.When), n.Source)).ToList(),
            record
                .Measurements.Where(m =>
                    m.Kind
                        is MeasurementKind.NtProBnp
                            or MeasurementKind.Bnp
                            or MeasurementKind.Lvef
                            or MeasurementKind.BodyWeight
                )
                .Select(m => new KeyValue(
                    m.Kind switch
                    {
                        MeasurementKind.NtProBnp => KeyValueKind.NtProBnp,
                        MeasurementKind.Bnp => KeyValueKind.Bnp,
                        MeasurementKind.Lvef => KeyValueKind.Lvef,
                        _ => KeyValueKind.Weight,
                    },
                    m.Value,
                    m.Unit,
                    m.Comparator,
                    CalendarDay.Of(m.When),
                    m.Source
                ))
                .ToList(),
            record
                .Diagnoses.Select(d => new SummaryDiagnosis(
                    d.Display ?? $"{d.System}|{d.Code}",
                    d.Category == ConditionCategory.HeartFailure,
                    d.IsActive,
                    CalendarDay.Of(d.When),
                    d.Source
                ))
                .ToList(),
            record
                .Medications.Select(m => new SummaryMedication(
                    m.Display ?? m.Class.ToString(),
                    m.Class.ToString(),
                    CalendarDay.Of(m.When),
                    m.Source
                ))
                .ToList()
        );

    public static SummaryDocument ToDocument(PatientSummary summary, DateTimeOffset createdAt) =>
        new(
            summary.PatientReference,
            summary.Text,
            summary.Language,
            Kind(summary.Kind),
            summary.ModelName,
            summary.ModelVersion,
            summary.PromptVersion,
            summary.Grounding.ClaimsChecked,
            summary.Grounding.ClaimsFailed,
            createdAt,
            summary.Sources
        );

    public static string Kind(SummaryKind kind) => kind == SummaryKind.Abstractive ? "abstractive" : "extractive";

    /// <summary>
    /// The language most notes are written in (the latest note breaks ties); Spanish when there are none.
    /// </summary>
    public static string LanguageOf(IReadOnlyList<ClinicalNote> notes) =>
        PatientRecord.MajorityLanguage(notes) ?? SummaryPrompt.DefaultLanguage;
}
