using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Persistence;

public sealed class ClinicalDbContext(DbContextOptions<ClinicalDbContext> options) : DbContext(options)
{
    public DbSet<StoredScreening> Screenings => Set<StoredScreening>();

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    public DbSet<IssuedCard> IssuedCards => Set<IssuedCard>();

    public DbSet<CardFeedback> CardFeedback => Set<CardFeedback>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<StoredScreening>(screening =>
        {
            screening.HasKey(s => s.Id);
            screening.HasIndex(s => s.PatientReference);
            screening.Property(s => s.PatientReference).HasMaxLength(512);
            screening.Property(s => s.QualitativeRisk).HasMaxLength(16);
        });
        modelBuilder.Entity<AuditRecord>(audit =>
        {
            audit.HasKey(a => a.Id);
            audit.HasIndex(a => a.RecordedAt);
            audit.Property(a => a.Action).HasMaxLength(64);
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
