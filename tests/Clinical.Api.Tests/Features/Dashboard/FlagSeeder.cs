using Clinical.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Tests.Features.Dashboard;

/// <summary>
/// More flagged patients than screening a few fixtures gives: copies of one really screened, flagged row, each with
/// its own patient, flag id, name, level, age, GP, practice and screening time. For paging and for load.
/// </summary>
public static class FlagSeeder
{
    public sealed record Variant(
        string Name,
        string Level,
        double Probability,
        int Age,
        string Gp,
        string Practice,
        DateTimeOffset ScreenedAt
    );

    public static async Task<List<string>> CopyAsync(
        ClinicalDbContext db,
        string templateFlagId,
        IEnumerable<Variant> variants,
        CancellationToken cancellationToken = default
    )
    {
        var template = await db
            .Screenings.AsNoTracking()
            .SingleAsync(s => s.FlagId == templateFlagId, cancellationToken);
        var flags = new List<string>();
        foreach (var variant in variants)
        {
            var flagId = Guid.NewGuid().ToString();
            var patient = $"Patient/seed-{Guid.NewGuid():N}";
            db.Screenings.Add(
                new StoredScreening
                {
                    Id = Guid.NewGuid(),
                    PatientReference = patient,
                    AsOf = template.AsOf,
                    ScreenedAt = variant.ScreenedAt,
                    Probability = variant.Probability,
                    QualitativeRisk = variant.Level,
                    Flagged = true,
                    ModelName = template.ModelName,
                    ModelVersion = template.ModelVersion,
                    RiskAssessmentJson = template.RiskAssessmentJson.Replace(
                        template.PatientReference,
                        patient,
                        StringComparison.Ordinal
                    ),
                    FlagJson = template
                        .FlagJson!.Replace(templateFlagId, flagId, StringComparison.Ordinal)
                        .Replace(template.PatientReference, patient, StringComparison.Ordinal),
                    FlagId = flagId,
                    FlagStatus = "active",
                    ProvenanceJson = template.ProvenanceJson,
                    SummaryJson = template.SummaryJson,
                    ReviewJson = template.ReviewJson,
                    GeneralPractitioner = variant.Gp,
                    Practice = variant.Practice,
                    PracticeName =
                        variant.Practice == "Organization/cs-sur"
                            ? "Centro de Salud Sur (ficticio)"
                            : "Centro de Salud Norte (ficticio)",
                    PatientName = variant.Name,
                    AgeYears = variant.Age,
                    Sex = variant.Age % 2 == 0 ? "female" : "male",
                }
            );
            flags.Add(flagId);
        }
        await db.SaveChangesAsync(cancellationToken);
        return flags;
    }
}
