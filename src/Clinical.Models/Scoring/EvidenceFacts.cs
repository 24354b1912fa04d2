using Clinical.Models.Language;
using Clinical.Models.Scoring.Evidence;

namespace Clinical.Models.Scoring;

/// <summary>
/// What the engine found, as a kind and values (numbers, dates, codes) rather than words, so that
/// <see cref="Wording.RiskWording"/> can say it in the language the clinician reads. When is the date of the fact
/// the text shows; the source resource is on the <see cref="Finding"/> that carries the fact.
/// </summary>
public abstract record EvidenceFact(DateTimeOffset? When)
{
    /// <summary>A stable name of the kind, for machine consumers (filters, logs); never shown to a clinician.</summary>
    public abstract string Kind { get; }
}

public enum TrendDirection
{
    Rising,
    Falling,
    Stable,
}

/// <summary>The previous value of the same peptide and how the latest compares (± 20 %).</summary>
public sealed record PeptideTrend(TrendDirection Direction, double PreviousPgMl, DateTimeOffset? PreviousWhen);

/// <summary>
/// A natriuretic peptide against its ESC 2021 non-acute threshold. Stale when older than
/// <see cref="PeptideEvidence.FreshYears"/> years or undated: the text then asks for a new one, with its age in whole
/// years (YearsOld; null when undated). IsMaximum marks the highest value on record shown beside a lower latest one.
/// </summary>
public sealed record PeptideFact(
    PeptideKind Peptide,
    double ValuePgMl,
    string? Comparator,
    double ThresholdPgMl,
    bool AboveThreshold,
    DateTimeOffset? When
) : EvidenceFact(When)
{
    public override string Kind => IsMaximum ? "peptide-maximum" : "peptide";

    public PeptideTrend? Trend { get; init; }

    public bool Stale { get; init; }

    public int? YearsOld { get; init; }

    public bool IsMaximum { get; init; }
}

/// <summary>
/// An LVEF (%) and its ESC 2021 band; YearsOld is set when it was measured more than
/// <see cref="PeptideEvidence.FreshYears"/> years before the as-of date (the text then asks for a new echocardiogram).
/// </summary>
public sealed record EjectionFractionFact(double Percent, EjectionFractionCategory Category, DateTimeOffset? When)
    : EvidenceFact(When)
{
    public override string Kind => "lvef";

    public int? YearsOld { get; init; }
}

/// <summary>
/// A sign in a note (a concept of the clinical-language layer), quoted exactly as written, and how the note states it.
/// </summary>
public sealed record NoteSignFact(ClinicalConcept Sign, Assertion Assertion, string Quote, DateTimeOffset? When)
    : EvidenceFact(When)
{
    public override string Kind => "note-sign";
}

/// <summary>Why a drug points at HF being treated (see <see cref="TreatmentEvidence"/>).</summary>
public enum DrugReason
{
    SacubitrilValsartan,
    LoopDiureticWithoutOtherIndication,
    LoopDiureticWithKidneyDisease,
    MineralocorticoidAntagonist,
}

/// <summary>A drug as recorded (its display or code) and why it counts.</summary>
public sealed record DrugFact(string Drug, DrugReason Reason, DateTimeOffset? When) : EvidenceFact(When)
{
    public override string Kind => "drug";
}

/// <summary>The note classifier's probability and the date of the note that drove it.</summary>
public sealed record NoteClassifierFact(double Probability, DateTimeOffset? When) : EvidenceFact(When)
{
    public override string Kind => "note-classifier";
}

/// <summary>An HF diagnosis already in the record (its display or code).</summary>
public sealed record KnownDiagnosisFact(string Description, DateTimeOffset? When) : EvidenceFact(When)
{
    public override string Kind => "known-diagnosis";
}

/// <summary>No natriuretic peptide of the last <see cref="PeptideEvidence.FreshYears"/> years.</summary>
public sealed record NoRecentPeptideFact() : EvidenceFact((DateTimeOffset?)null)
{
    public override string Kind => "no-recent-peptide";
}

/// <summary>No LVEF on record while one is needed (no recent peptide, or a raised one).</summary>
public sealed record NoEchocardiogramFact() : EvidenceFact((DateTimeOffset?)null)
{
    public override string Kind => "no-echocardiogram";
}

/// <summary>The H2FPEF lower bound with what scored and which inputs the record lacks.</summary>
public sealed record H2FpefFact(int Points, IReadOnlyList<H2FpefItem> Present, IReadOnlyList<H2FpefInput> Missing)
    : EvidenceFact((DateTimeOffset?)null)
{
    public override string Kind => "h2fpef";
}

/// <summary>The signs affirmed in recent notes and how many notes affirm any.</summary>
public sealed record AffirmedSignsFact(IReadOnlyList<ClinicalConcept> Signs, int Notes)
    : EvidenceFact((DateTimeOffset?)null)
{
    public override string Kind => "affirmed-signs";
}

/// <summary>The HF drugs, together, for the explanation.</summary>
public sealed record DrugsFact(IReadOnlyList<DrugFact> Drugs) : EvidenceFact((DateTimeOffset?)null)
{
    public override string Kind => "drugs";
}

/// <summary>Data whose absence keeps the estimate from being reassuring.</summary>
public enum MissingData
{
    /// <summary>The latest peptide is older than <see cref="PeptideEvidence.FreshYears"/> years.</summary>
    RecentPeptide,

    /// <summary>No natriuretic peptide at all.</summary>
    Peptide,

    /// <summary>No LVEF recorded.</summary>
    Echocardiogram,

    /// <summary>No readable clinical note.</summary>
    ClinicalNotes,
}
