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
}
