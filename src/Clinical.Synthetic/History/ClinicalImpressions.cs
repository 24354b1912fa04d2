using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic.History;

/// <summary>
/// What the physician concludes and plans at a visit: suspects HF, blames a mimic, or follows known HF.
/// </summary>
internal static class ClinicalImpressions
{
    private static readonly Sign[] HfSigns =
    [
        Sign.ExertionalDyspnoea,
        Sign.Orthopnoea,
        Sign.NocturnalDyspnoea,
        Sign.AnkleOedema,
        Sign.WeightGain,
    ];

    public static void Assess(
        Person person,
        SeededRandom rng,
        VisitTrigger trigger,
        VisitReason reason,
        double severity,
        List<Sign> present,
        List<LabResult> labs,
        double? lastNtProBnp,
        bool knownHf,
        List<Impression> impressions,
        List<PlanItem> plan
    )
    {
        if (trigger == VisitTrigger.HfDiagnosis)
        {
            impressions.Add(Impression.HfDiagnosed);
            plan.AddRange([PlanItem.StartLoopDiuretic, PlanItem.LowSaltDiet]);
            if (rng.Chance(0.6))
            {
                plan.Add(PlanItem.DailyWeights);
            }
            if (rng.Chance(0.5))
            {
                plan.Add(PlanItem.ReferCardiology);
            }
            plan.Add(PlanItem.FollowUp);
            return;
        }
        if (knownHf)
        {
            var worse = severity > 0.75 || present.Count(HfSigns.Contains) >= 3;
            impressions.Add(worse ? Impression.KnownHfWorse : Impression.KnownHfStable);
            if (worse)
            {
                plan.Add(PlanItem.AdjustDiuretic);
                if (rng.Chance(0.5))
                {
                    plan.Add(PlanItem.DailyWeights);
                }
            }
            else if (rng.Chance(0.3))
            {
                plan.Add(PlanItem.LowSaltDiet);
            }
            plan.Add(PlanItem.FollowUp);
            return;
        }
        if (reason == VisitReason.CopdExacerbation)
        {
            impressions.Add(Impression.CopdExacerbation);
            plan.Add(PlanItem.Bronchodilator);
            plan.Add(PlanItem.FollowUp);
            return;
        }

        var hfLike = present.Where(HfSigns.Contains).ToList();
        var natriuretic = labs.FirstOrDefault(l => l.Test is LabTest.NtProBnp or LabTest.Bnp);
        var raised = natriuretic is { Test: LabTest.NtProBnp, Value: >= 125 } or { Test: LabTest.Bnp, Value: >= 35 };
        if (trigger == VisitTrigger.HfWorkup)
        {
            impressions.Add(Impression.SuspectedHf);
            plan.AddRange([PlanItem.RequestNtProBnp, PlanItem.RequestEcho]);
            if (rng.Chance(0.4))
            {
                plan.Add(PlanItem.ReferCardiology);
            }
            return;
        }
        if (natriuretic is not null)
        {
            if (!raised)
            {
                impressions.Add(rng.Chance(0.7) ? Impression.HfRuledOut : Impression.StableChronic);
                return;
            }
            if (person.Has(ConditionCategory.AtrialFibrillation) && rng.Chance(0.45))
            {
                impressions.Add(Impression.AfControl);
            }
            else if (person.Has(ConditionCategory.ChronicKidneyDisease) && rng.Chance(0.45))
            {
                impressions.Add(Impression.CkdFollowUp);
            }
            else
            {
                impressions.Add(Impression.SuspectedHf);
                plan.Add(PlanItem.RequestEcho);
                if (rng.Chance(0.3))
                {
                    plan.Add(PlanItem.ReferCardiology);
                }
            }
            return;
        }
        if (hfLike.Count > 0)
        {
            var suspicion = person.HfStatus switch
            {
                HfStatus.Diagnosed => 0.15 + 0.35 * severity,
                HfStatus.Undiagnosed => 0.04 + 0.1 * severity,
                _ => 0.06,
            };
            if (present.Contains(Sign.Orthopnoea) || present.Contains(Sign.NocturnalDyspnoea))
            {
                suspicion += 0.1;
            }
            var mimic = MimicFor(person, present, rng);
            if (mimic is { } m && !rng.Chance(suspicion))
            {
                impressions.Add(m);
                plan.Add(
                    m switch
                    {
                        Impression.AmlodipineOedema => PlanItem.ReviewAmlodipine,
                        Impression.VenousInsufficiency => PlanItem.CompressionStockings,
                        Impression.AnaemiaWorkup => PlanItem.IronStudies,
                        _ => PlanItem.FollowUp,
                    }
                );
                if (rng.Chance(0.08) && lastNtProBnp is null)
                {
                    plan.Add(PlanItem.RequestNtProBnp);
                }
                return;
            }
            if (rng.Chance(suspicion + 0.04))
            {
                impressions.Add(Impression.SuspectedHf);
                if (lastNtProBnp is null || rng.Chance(0.2))
                {
                    plan.Add(PlanItem.RequestNtProBnp);
                }
                return;
            }
        }
        if (reason is VisitReason.ChronicReview or VisitReason.LabReview)
        {
            if (person.Has(ConditionCategory.AtrialFibrillation) && rng.Chance(0.35))
            {
                impressions.Add(Impression.AfControl);
            }
            else if (person.Has(ConditionCategory.ChronicKidneyDisease) && rng.Chance(0.35))
            {
                impressions.Add(Impression.CkdFollowUp);
            }
            else
            {
                impressions.Add(Impression.StableChronic);
            }
        }
        if (rng.Chance(0.4))
        {
            plan.Add(PlanItem.FollowUp);
        }
    }

    private static Impression? MimicFor(Person person, List<Sign> present, SeededRandom rng)
    {
        var options = new List<Impression>();
        if (present.Contains(Sign.AnkleOedema))
        {
            if (person.OnAmlodipine)
            {
                options.Add(Impression.AmlodipineOedema);
            }
            if (person.VenousInsufficiency)
            {
                options.Add(Impression.VenousInsufficiency);
            }
        }
        if (present.Contains(Sign.ExertionalDyspnoea))
        {
            if (person.Has(ConditionCategory.Obesity))
            {
                options.Add(Impression.ObesityDyspnoea);
            }
            if (person.Has(ConditionCategory.Copd))
            {
                options.Add(Impression.CopdExacerbation);
            }
            if (person.Anaemia)
            {
                options.Add(Impression.AnaemiaWorkup);
            }
        }
        return options.Count == 0 ? null : rng.Pick(options);
    }
}
