using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Clinical.Api.Persistence;

public sealed class ClinicalDbContext(DbContextOptions<ClinicalDbContext> options) : DbContext(options)
{
    /// <summary>Raised whenever the model changes; a database of another version is refused at startup.</summary>
    public const int SchemaVersion = 6;

    public DbSet<SchemaInfo> SchemaInfo => Set<SchemaInfo>();

    public DbSet<StoredScreening> Screenings => Set<StoredScreening>();

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    public DbSet<IssuedCard> IssuedCards => Set<IssuedCard>();

    public DbSet<CardFeedback> CardFeedback => Set<CardFeedback>();

    public DbSet<UsedTokenId> UsedTokenIds => Set<UsedTokenId>();

    public DbSet<FlagStatusChange> FlagStatusChanges => Set<FlagStatusChange>();

    public DbSet<CohortRun> CohortRuns => Set<CohortRun>();

    public DbSet<CohortShard> CohortShards => Set<CohortShard>();

    public DbSet<ReviewEvent> ReviewEvents => Set<ReviewEvent>();

    public DbSet<ClinicianVisit> ClinicianVisits => Set<ClinicianVisit>();

    /// <summary>
    /// SQLite has no date-time type that orders; there, DateTimeOffset is stored as a sortable integer.
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.IsSqlite())
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SchemaInfo>(info => info.Property(i => i.Id).ValueGeneratedNever());
        modelBuilder.Entity<StoredScreening>(screening =>
        {
            screening.HasKey(s => s.Id);
            screening.HasIndex(s => s.PatientReference);
            screening.Property(s => s.PatientReference).HasMaxLength(512);
            screening.Property(s => s.QualitativeRisk).HasMaxLength(16);
            screening.HasIndex(s => s.FlagId);
            screening.Property(s => s.FlagId).HasMaxLength(64);
            screening.Property(s => s.FlagStatus).HasMaxLength(32);
            screening.Property(s => s.Version).IsConcurrencyToken();
            screening.Property(s => s.ReviewState).HasMaxLength(16);
            screening.Property(s => s.GeneralPractitioner).HasMaxLength(512);
            screening.Property(s => s.Practice).HasMaxLength(512);
            // The worklist: screenings with a flag in a status, the GP's own or everyone's, read in index order
            // (newest, then highest) so a page needs no sort; IsLatest, level, age and practice are checked in the
            // index too (a boolean column is no equality constraint for SQLite's planner, so it comes after the order).
            screening
                .HasIndex(s => new
                {
                    s.GeneralPractitioner,
                    s.FlagStatus,
                    s.ScreenedAt,
                    s.Probability,
                    s.IsLatest,
                    s.QualitativeRisk,
                    s.AgeYears,
                    s.Practice,
                })
                .HasDatabaseName("IX_Screenings_Worklist_Gp");
            screening
                .HasIndex(s => new
                {
                    s.FlagStatus,
                    s.ScreenedAt,
                    s.Probability,
                    s.IsLatest,
                    s.QualitativeRisk,
                    s.AgeYears,
                    s.Practice,
                })
                .HasDatabaseName("IX_Screenings_Worklist");
            screening.Property(s => s.RunId).HasMaxLength(CohortRun.MaxIdLength);
            // A run's results by patient: the _tag search pages through it, and no patient is stored twice per run.
            screening.HasIndex(s => new { s.RunId, s.PatientReference }).IsUnique();
        });
        modelBuilder.Entity<CohortRun>(run =>
        {
            run.HasKey(r => r.RunId);
            run.Property(r => r.RunId).HasMaxLength(CohortRun.MaxIdLength);
            run.Property(r => r.Status).HasMaxLength(16);
            run.Property(r => r.Origin).HasMaxLength(8);
            run.Property(r => r.Summaries).HasMaxLength(8);
            run.HasIndex(r => new { r.Origin, r.Status });
        });
        modelBuilder.Entity<CohortShard>(shard =>
        {
            shard.HasKey(s => new { s.RunId, s.Index });
            shard.Property(s => s.RunId).HasMaxLength(CohortRun.MaxIdLength);
            shard.Property(s => s.Kind).HasMaxLength(8);
        });
        modelBuilder.Entity<ReviewEvent>(review =>
        {
            review.HasKey(r => r.Id);
            review.HasIndex(r => r.FlagId);
            review.HasIndex(r => new { r.Kind, r.At });
            review.Property(r => r.FlagId).HasMaxLength(64);
            review.Property(r => r.Kind).HasMaxLength(16);
            review.Property(r => r.ReasonCode).HasMaxLength(64);
            review.Property(r => r.Comment).HasMaxLength(2000);
        });
        modelBuilder.Entity<ClinicianVisit>(visit =>
        {
            visit.HasKey(v => v.Actor);
            visit.Property(v => v.Actor).HasMaxLength(600);
        });
        modelBuilder.Entity<AuditRecord>(audit =>
        {
            audit.HasKey(a => a.Id);
            audit.HasIndex(a => a.RecordedAt);
            audit.Property(a => a.Action).HasMaxLength(64);
        });
        modelBuilder.Entity<FlagStatusChange>(change =>
        {
            change.HasKey(c => c.Id);
            change.HasIndex(c => c.FlagId);
            change.Property(c => c.FlagId).HasMaxLength(64);
            change.Property(c => c.ReasonCode).HasMaxLength(64);
            change.HasIndex(c => new { c.To, c.ChangedAt });
        });
        modelBuilder.Entity<UsedTokenId>(used =>
        {
            used.HasKey(u => u.Key);
            used.Property(u => u.Key).HasMaxLength(600);
            used.HasIndex(u => u.ExpiresAt);
        });
        modelBuilder.Entity<IssuedCard>(card =>
        {
            card.HasKey(c => c.Uuid);
            card.Property(c => c.PatientReference).HasMaxLength(512);
            card.Property(c => c.HookInstance).HasMaxLength(64);
            card.Property(c => c.Indicator).HasMaxLength(16);
        });
        modelBuilder.Entity<CardFeedback>(feedback =>
        {
            feedback.HasKey(f => f.Id);
            feedback.HasIndex(f => f.CardUuid);
            feedback.Property(f => f.Outcome).HasMaxLength(16);
            feedback.Property(f => f.UserComment).HasMaxLength(1000);
        });
    }
}
