using Clinical.Api.Features.Screening;
using Clinical.Api.Features.Training;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Scoring;

namespace Clinical.Api.Features.Cohorts;

/// <summary>A patient seen at a cut date, with its label: what a training or evaluation row is made of.</summary>
public sealed record CohortCase(
    string PatientReference,
    DateOnly CutDate,
    bool Positive,
    string Status,
    string? Phenotype,
    IReadOnlyList<string> Languages,
    RiskInput Input
)
{
    /// <summary>
    /// Set when the patient had died by the cut date: cohort jobs leave such a case out and count it, as screening
    /// does not screen them.
    /// </summary>
    public Death? Death { get; init; }
}

/// <summary>
/// Labels and cut dates that never leak the diagnosis: HF patients diagnosed on a date are seen
/// <see cref="WeakLabels.DefaultGapDays"/> days before it (the code and everything after it are cut); undiagnosed
/// HF is seen at the cohort's date; patients without HF are seen at a date 0–36 months before the cohort's date
/// (spread like the diagnosis cuts). Without truth, the weak-label rule finetune's FHIR input follows
/// (<see cref="WeakLabels.Diagnosis"/>, <see cref="WeakLabels.Cut"/>): positive = a coded HF diagnosis with a date.
/// </summary>
public static class CohortCases
{
    /// <summary>The label rule in words, for the model card.</summary>
    public static string Describe(bool weakLabels) =>
        weakLabels
            ? $"Weak labels: positive = coded HF diagnosis, features cut {WeakLabels.DefaultGapDays} days before it "
                + "(left out when every HF code is undated); negative = no HF code, cut 0–36 months before the as-of "
                + "date."
            : $"Truth: positive = HF (diagnosed: cut {WeakLabels.DefaultGapDays} days before the recorded diagnosis, "
                + "kept only when after onset; undiagnosed: at the as-of date); negative = no HF, cut 0–36 months "
                + "before the as-of date.";

    public static CohortCase? Training(CohortPatient patient, PatientRecordExtractor extractor, DateOnly asOf)
    {
        if (patient.Truth is not { } truth)
            return WeakLabelled(patient, extractor, asOf);
        var (positive, status, cut, phenotype) = truth.Status switch
        {
            "diagnosed" when truth.Diagnosis is { } dx => (true, "diagnosed", WeakLabels.Cut(dx), truth.Phenotype),
            "undiagnosed" => (true, "undiagnosed", asOf, truth.Phenotype),
            _ => (false, "none", NegativeCut(patient.PatientReference, asOf), null),
        };
        if (truth.Onset is { } onset && positive && cut < onset)
            return null;
        return At(patient, extractor, cut, positive, status, phenotype);
    }

    public static CohortCase? At(
        CohortPatient patient,
        PatientRecordExtractor extractor,
        DateOnly cut,
        bool positive,
        string status,
        string? phenotype
    )
    {
        var patients = extractor.Extract(patient.Resources, cut, patient.PatientReference).Patients;
        var record = patients.Count > 0 ? patients[0] : null;
        if (record is null)
            return null;
        return new CohortCase(
            patient.PatientReference,
            cut,
            positive,
            status,
            phenotype,
            Languages(record),
            ScreeningMapping.ToRiskInput(record)
        )
        {
            Death = record.Death,
        };
    }

    /// <summary>The weak-label rule on the record as of the cohort date; null when it leaves the patient out.</summary>
    private static CohortCase? WeakLabelled(CohortPatient patient, PatientRecordExtractor extractor, DateOnly asOf)
    {
        var patients = extractor.Extract(patient.Resources, asOf, patient.PatientReference).Patients;
        if (patients.Count == 0)
            return null;
        var diagnosis = WeakLabels.Diagnosis(patients[0]);
        if (diagnosis.Undated)
            return null;
        return diagnosis.First is { } dx
            ? At(patient, extractor, WeakLabels.Cut(dx), true, "diagnosed", null)
            : At(patient, extractor, NegativeCut(patient.PatientReference, asOf), false, "none", null);
    }

    private static DateOnly NegativeCut(string patientReference, DateOnly asOf) =>
        asOf.AddMonths(-(int)(Fnv1a.Hash32(patientReference + "#cut") % 37));

    private static string[] Languages(PatientRecord record) =>
        record.Notes.Count == 0
            ? ["none"]
            : record.Notes.Select(n => n.Language).Distinct().Order(StringComparer.Ordinal).ToArray();
}
