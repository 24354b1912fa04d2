namespace Clinical.Models.Scoring.Evidence;

/// <summary>
/// Drugs that suggest HF is already being treated (ESC 2021, sections 5–6): sacubitril/valsartan is
/// licensed only for HF; a loop diuretic treats congestion, so without another reason (here CKD) it
/// points at HF; an MRA is HF therapy but also treats resistant hypertension and hyperaldosteronism.
/// </summary>
public sealed record TreatmentEvidence(TreatmentFact Drug, double Weight, DrugReason Reason)
{
    public DrugFact Fact => new(Drug.Description, Reason, Drug.When);

    public static IReadOnlyList<TreatmentEvidence> Assess(RiskInput input)
    {
        var found = new List<TreatmentEvidence>();
        foreach (
            var drug in input
                .Treatments.GroupBy(t => t.Kind)
                .Select(g => g.OrderByDescending(t => t.When ?? DateTimeOffset.MinValue).First())
        )
        {
            switch (drug.Kind)
            {
                case Treatment.SacubitrilValsartan:
                    found.Add(new(drug, 3.0, DrugReason.SacubitrilValsartan));
                    break;
                case Treatment.LoopDiuretic when !input.Has(Comorbidity.ChronicKidneyDisease):
                    found.Add(new(drug, 1.2, DrugReason.LoopDiureticWithoutOtherIndication));
                    break;
                case Treatment.LoopDiuretic:
                    found.Add(new(drug, 0.4, DrugReason.LoopDiureticWithKidneyDisease));
                    break;
                case Treatment.MineralocorticoidAntagonist:
                    found.Add(new(drug, 0.6, DrugReason.MineralocorticoidAntagonist));
                    break;
            }
        }
        return found;
    }
}
