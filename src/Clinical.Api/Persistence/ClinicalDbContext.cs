using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Persistence;

public sealed class ClinicalDbContext(DbContextOptions<ClinicalDbContext> options) : DbContext(options)
{
    public DbSet<StoredScreening> Screenings => Set<StoredScreening>();

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

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
    }
}
