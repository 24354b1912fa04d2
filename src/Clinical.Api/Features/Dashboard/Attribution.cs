using Clinical.Api.Features.Dashboard.Review;
using Clinical.Api.Persistence;
using Clinical.Fhir.Extraction;
using Clinical.Models.Scoring;
using Clinical.Models.Scoring.Wording;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Dashboard;

/// <summary>
/// What a screening stores for the dashboard: whose patient it is (GP, practice), who (name, age, sex), and for a
/// flagged patient the review snapshot; and that a patient's earlier screenings are no longer the latest.
/// </summary>
public static class Attribution
{
    public static void Apply(
        StoredScreening stored,
        PatientRecord record,
        RiskEstimate? flaggedEstimate,
        string language
    )
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(record);
        stored.GeneralPractitioner =
            record.Attribution.GeneralPractitioners.Count > 0 ? record.Attribution.GeneralPractitioners[0] : null;
        stored.Practice = record.Attribution.Practice;
        stored.PracticeName = record.Attribution.PracticeName;
        stored.PatientName = record.Attribution.DisplayName;
        stored.AgeYears = record.AgeYears;
        stored.Sex = record.Sex.ToString().ToLowerInvariant();
        stored.ReviewJson = flaggedEstimate is null
            ? null
            : ReviewSnapshot.From(record, flaggedEstimate, RiskWording.For(language)).ToJson();
    }

    /// <summary>Marks the stored screenings of these patients as superseded, before their new ones are saved.</summary>
    public static async Task SupersedeAsync(
        ClinicalDbContext db,
        IReadOnlyList<PatientRecord> patients,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(patients);
        foreach (var chunk in patients.Select(p => p.PatientReference).Distinct(StringComparer.Ordinal).Chunk(500))
            await db
                .Screenings.Where(s => s.IsLatest && chunk.Contains(s.PatientReference))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.IsLatest, false), cancellationToken);
    }
}
