using Clinical.Api.Persistence;

namespace Clinical.Api.Tests.Persistence;

public sealed class SchemaVersionTests
{
    [Fact]
    public void Given_a_database_of_the_previous_schema_When_the_service_starts_Then_it_is_refused_in_one_line()
    {
        var file = Path.Combine(Path.GetTempPath(), $"clinical-test-{Guid.NewGuid():N}.db");
        using (var first = new ClinicalApiFactory { DatabaseFile = file, KeepDatabase = true })
            first.InScope(db =>
            {
                db.SchemaInfo.Single().Version = ClinicalDbContext.SchemaVersion - 1;
                return db.SaveChanges();
            });
        using var second = new ClinicalApiFactory { DatabaseFile = file };

        var refused = Assert.Throws<InvalidOperationException>(() => second.Services);

        Assert.Equal(
            $"The database holds schema version {ClinicalDbContext.SchemaVersion - 1}; this build needs "
                + $"{ClinicalDbContext.SchemaVersion}. Back it up, then point Clinical:Database / "
                + "ConnectionStrings:Clinical at a new database (see README, Persistence).",
            refused.Message
        );
    }

    [Fact]
    public void Given_a_creation_killed_before_the_version_was_stamped_When_the_service_starts_Then_it_is_made_again()
    {
        var file = Path.Combine(Path.GetTempPath(), $"clinical-test-{Guid.NewGuid():N}.db");
        using (var first = new ClinicalApiFactory { DatabaseFile = file, KeepDatabase = true })
            first.InScope(db =>
            {
                db.SchemaInfo.RemoveRange(db.SchemaInfo);
                return db.SaveChanges();
            });
        using var second = new ClinicalApiFactory { DatabaseFile = file };

        var version = second.InScope(db => db.SchemaInfo.Single().Version);

        Assert.Equal(ClinicalDbContext.SchemaVersion, version);
    }

    [Fact]
    public void Given_a_database_with_screenings_but_no_version_When_the_service_starts_Then_it_is_refused_untouched()
    {
        var file = Path.Combine(Path.GetTempPath(), $"clinical-test-{Guid.NewGuid():N}.db");
        using (var first = new ClinicalApiFactory { DatabaseFile = file, KeepDatabase = true })
            first.InScope(db =>
            {
                db.SchemaInfo.RemoveRange(db.SchemaInfo);
                db.Screenings.Add(
                    new StoredScreening
                    {
                        Id = Guid.NewGuid(),
                        PatientReference = "Patient/kept",
                        RiskAssessmentJson = "{}",
                        ProvenanceJson = "{}",
                        QualitativeRisk = "low",
                        ModelName = "m",
                        ModelVersion = "1",
                    }
                );
                return db.SaveChanges();
            });
        using var second = new ClinicalApiFactory { DatabaseFile = file, KeepDatabase = true };

        var refused = Assert.Throws<InvalidOperationException>(() => second.Services);

        Assert.StartsWith(
            "The database holds schema version 1 (unversioned)",
            refused.Message,
            StringComparison.Ordinal
        );
        Assert.True(File.Exists(file));
        File.Delete(file);
    }
}
