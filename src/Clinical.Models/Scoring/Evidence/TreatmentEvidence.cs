namespace Clinical.Models.Scoring.Evidence;

/// <summary>
/// Drugs that suggest HF is already being treated (ESC 2021, sections 5–6): sacubitril/valsartan is
/// licensed only for HF; a loop diuretic treats congestion, so without another reason (here CKD) it
/// points at HF; an MRA is HF therapy but also treats resistant hypertension and hyperaldosteronism.
/// </summary>
public sealed record TreatmentEvidence(TreatmentFact Drug, double Weight, string Spanish)
{
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
                    found.Add(new(drug, 3.0, $"{drug.Description}: sacubitrilo/valsartán, indicado solo en IC"));
                    break;
                case Treatment.LoopDiuretic when !input.Has(Comorbidity.ChronicKidneyDisease):
                    found.Add(new(drug, 1.2, $"{drug.Description}: diurético de asa sin otra indicación registrada"));
                    break;
                case Treatment.LoopDiuretic:
                    found.Add(
                        new(drug, 0.4, $"{drug.Description}: diurético de asa (con ERC, otra posible indicación)")
                    );
                    break;
                case Treatment.MineralocorticoidAntagonist:
                    found.Add(new(drug, 0.6, $"{drug.Description}: antagonista de mineralocorticoides"));
                    break;
            }
        }
        return found;
    }
}
