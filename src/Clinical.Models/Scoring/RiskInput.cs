namespace Clinical.Models.Scoring;

public enum PeptideKind
{
    NtProBnp,
    Bnp,
}

/// <summary>A natriuretic peptide result in pg/mL; Comparator is "&gt;", "&gt;=", "&lt;" or "&lt;=" when the lab reported a bound.</summary>
public sealed record PeptideResult(PeptideKind Kind, double ValuePgMl, string? Comparator, DateTimeOffset? When, string Source);

/// <summary>An active, confirmed HF diagnosis already in the record.</summary>
public sealed record KnownDiagnosis(string Description, DateTimeOffset? When, string Source);

/// <summary>What the risk engine sees of a patient: plain values with the reference of where each came from.</summary>
public sealed record RiskInput(
    string PatientKey,
    DateOnly AsOf,
    int? AgeYears,
    IReadOnlyList<PeptideResult> Peptides,
    IReadOnlyList<KnownDiagnosis> HeartFailureDiagnoses);
