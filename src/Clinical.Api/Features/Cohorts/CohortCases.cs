using Clinical.Api.Features.Screening;
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
);

/// <summary>
/// Labels and cut dates that never leak the diagnosis: HF patients diagnosed on a date are seen 30 days
/// before it (the code and everything after it are cut); undiagnosed HF is seen at the cohort's date;
/// patients without HF are seen at a date 0–36 months before the cohort's date (spread like the diagnosis
/// cuts). Without truth, weak labels: positive = a coded HF diagnosis with a date.
/// </summary>
public static class CohortCases
{
    public const int DaysBeforeDiagnosis = 30;

    public static CohortCase? Training(CohortPatient patient, PatientRecordExtractor extractor, DateOnly asOf)
    {
        var (positive, status, cut, phenotype) = patient.Truth is { } truth
            ? truth.Status switch
            {
                "diagnosed" when truth.Diagnosis is { } dx => (
                    true,
                    "diagnosed",
                    dx.AddDays(-DaysBeforeDiagnosis),
                    truth.Phenotype
                ),
                "undiagnosed" => (true, "undiagnosed", asOf, truth.Phenotype),
                _ => (false, "none", NegativeCut(patient.PatientReference, asOf), null),
            }
            : WeakLabel(patient, extractor, asOf);
        if (patient.Truth is { Onset: { } onset } && positive && cut < onset)
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
        );
    }

    private static (bool, string, DateOnly, string?) WeakLabel(
        CohortPatient patient,
        PatientRecordExtractor extractor,
        DateOnly asOf
    )
    {
        var patients = extractor.Extract(patient.Resources, asOf, patient.PatientReference).Patients;
        var record = patients.Count > 0 ? patients[0] : null;
        var diagnosed = record
            ?.ActiveHeartFailure.Where(d => d.When is not null)
            .Select(d => DateOnly.FromDateTime(d.When!.Value.UtcDateTime))
            .DefaultIfEmpty()
            .Min();
        return diagnosed is { } dx && dx != default
            ? (true, "diagnosed", dx.AddDays(-DaysBeforeDiagnosis), null)
            : (false, "none", NegativeCut(patient.PatientReference, asOf), null);
    }

    private static DateOnly NegativeCut(string patientReference, DateOnly asOf) =>
        asOf.AddMonths(-(int)(Fnv1a.Hash32(patientReference + "#cut") % 37));

    private static string[] Languages(PatientRecord record) =>
        record.Notes.Count == 0
            ? ["none"]
            : record.Notes.Select(n => n.Language).Distinct().Order(StringComparer.Ordinal).ToArray();
}
