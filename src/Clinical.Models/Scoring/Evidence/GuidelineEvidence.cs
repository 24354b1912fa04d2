using Clinical.Models.Language;

namespace Clinical.Models.Scoring.Evidence;

/// <summary>
/// The guideline ("rules") component: each rule's finding with its log-odds weight, the missing data,
/// and a probability. The weights are documented expert defaults, not fitted: the natriuretic peptide
/// curve p = σ(−1.1 + 1.6·ln(value/threshold)) of the ESC rule (threshold at p ≈ 0.25); without a recent
/// peptide an age prior (HF prevalence 1–2 % of adults, &gt; 8 % above 75; ESC 2021 section 3); LVEF ≤ 40 %
/// +3, 41–49 % +2; H2FPEF +0.25 per point above 2; affirmed signs +0.5 each (orthopnoea, PND, crackles,
/// raised JVP +0.8: more specific, ESC 2021 Table 5), hedged signs half, denied −0.15 (historical, hypothetical
/// and family mentions count nothing); drugs as in
/// <see cref="TreatmentEvidence"/>. The stacked combiner re-weighs this component on dev data.
/// </summary>
public sealed record GuidelineEvidence(
    double LogOdds,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<MissingData> Missing,
    IReadOnlyList<EvidenceFact> Summary,
    PeptideEvidence? Peptide,
    EjectionFraction? Lvef,
    H2FpefScore H2Fpef,
    SignSummary Signs,
    IReadOnlyList<TreatmentEvidence> Treatments
)
{
    public double Probability => 1 / (1 + Math.Exp(-LogOdds));

    /// <summary>
    /// No recent natriuretic peptide: the estimate rests on proxies, so it is given with low confidence.
    /// </summary>
    public bool LowConfidence => Peptide is null || Peptide.Stale;

    public static GuidelineEvidence Assess(RiskInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var findings = new List<Finding>();
        var missing = new List<MissingData>();
        var summary = new List<EvidenceFact>();

        var peptide = PeptideEvidence.Assess(input);
        double logOdds;
        if (peptide is { Stale: false })
        {
            logOdds = -1.1 + 1.6 * Math.Log(peptide.Ratio);
            var latest = peptide.LatestFact(input.AsOf);
            findings.Add(
                new Finding(peptide.Latest.Source, latest) { Weight = logOdds - AgePriorLogOdds(input.AgeYears) }
            );
            if (peptide.Maximum != peptide.Latest && PeptideEvidence.IsAbove(peptide.Maximum))
                findings.Add(new Finding(peptide.Maximum.Source, peptide.MaximumFact) { Weight = 0.3 });
            summary.Add(latest);
        }
        else
        {
            logOdds = AgePriorLogOdds(input.AgeYears);
            if (peptide is not null)
            {
                // Old, never dropped: shown with its age and a request to repeat it.
                findings.Add(new Finding(peptide.Latest.Source, peptide.LatestFact(input.AsOf)) { Weight = 0.1 });
                missing.Add(MissingData.RecentPeptide);
            }
            else
            {
                missing.Add(MissingData.Peptide);
            }
            summary.Add(new NoRecentPeptideFact());
        }

        var lvef = EjectionFraction.Assess(input);
        if (lvef is not null)
        {
            var weight = lvef.Category switch
            {
                EjectionFractionCategory.Reduced => 3.0,
                EjectionFractionCategory.MildlyReduced => 2.0,
                _ => 0.0,
            };
            logOdds += weight;
            var fact = EjectionFraction.Fact(lvef.Measurement, input.AsOf);
            findings.Add(new Finding(lvef.Measurement.Source, fact) { Weight = weight });
            summary.Add(fact);
        }
        else if (peptide is null || peptide.Stale || peptide.AboveThreshold)
        {
            missing.Add(MissingData.Echocardiogram);
            summary.Add(new NoEchocardiogramFact());
        }

        var h2fpef = H2FpefScore.Compute(input);
        logOdds += 0.25 * Math.Max(0, h2fpef.Points - 2);
        if (h2fpef.Points > 0)
            summary.Add(h2fpef.Fact);

        var signs = SignSummary.Read(input);
        foreach (var note in signs.Notes)
        {
            foreach (var mention in note.Mentions)
            {
                if (SignWeight(mention) is not { } weight)
                    continue;
                logOdds += weight / Math.Max(1, signs.NotesWith(mention.Concept, mention.Assertion));
                findings.Add(
                    new Finding(
                        note.Note.Source,
                        new NoteSignFact(mention.Concept, mention.Assertion, mention.Text, note.Note.When)
                    )
                    {
                        Weight = weight,
                        SpanStart = mention.Start,
                        SpanLength = mention.Length,
                    }
                );
            }
        }
        var affirmed = signs.Affirmed;
        if (affirmed.Count > 0)
            summary.Add(new AffirmedSignsFact(affirmed, signs.NotesAffirmingAny));
        if (input.Notes.Count == 0)
            missing.Add(MissingData.ClinicalNotes);

        var treatments = TreatmentEvidence.Assess(input);
        foreach (var treatment in treatments)
        {
            logOdds += treatment.Weight;
            findings.Add(new Finding(treatment.Drug.Source, treatment.Fact) { Weight = treatment.Weight });
        }
        if (treatments.Count > 0)
            summary.Add(new DrugsFact(treatments.Select(t => t.Fact).ToList()));

        var ranked = findings
            .OrderByDescending(f => Math.Abs(f.Weight))
            .ThenByDescending(f => f.When ?? DateTimeOffset.MinValue)
            .ToList();
        return new GuidelineEvidence(logOdds, ranked, missing, summary, peptide, lvef, h2fpef, signs, treatments);
    }

    internal static double AgePriorLogOdds(int? age)
    {
        var p = age switch
        {
            >= 75 => 0.08,
            >= 65 => 0.04,
            _ => 0.015,
        };
        return Math.Log(p / (1 - p));
    }

    /// <summary>The sign's log-odds, or null for a mention that is not the patient's sign now.</summary>
    private static double? SignWeight(ClinicalMention mention)
    {
        var affirmed = mention.Concept.IsSpecificSign() ? 0.8 : 0.5;
        return mention.Assertion switch
        {
            Assertion.Affirmed => affirmed,
            Assertion.Hedged => affirmed / 2,
            Assertion.Negated => -0.15,
            _ => null,
        };
    }
}
