namespace Clinical.Models.Scoring.Evidence;

/// <summary>
/// H2FPEF score (Reddy et al., Circulation 2018;138:861): Heavy (BMI &gt; 30 kg/m2: 2), Hypertensive (≥ 2
/// antihypertensive drugs: 1), atrial Fibrillation (3), Pulmonary hypertension (PASP &gt; 35 mmHg: 1),
/// Elder (age &gt; 60: 1), Filling pressure (E/e' &gt; 9: 1); 0–9. Primary-care records rarely hold PASP or
/// E/e', so the score is a lower bound and the missing inputs are named.
/// </summary>
public sealed record H2FpefScore(int Points, IReadOnlyList<string> Present, IReadOnlyList<string> Missing)
{
    public const int Maximum = 9;

    private static readonly Treatment[] Antihypertensives =
    [
        Treatment.AceInhibitor,
        Treatment.AngiotensinReceptorBlocker,
        Treatment.DihydropyridineCalciumBlocker,
        Treatment.HeartFailureBetaBlocker,
        Treatment.LoopDiuretic,
        Treatment.MineralocorticoidAntagonist,
        Treatment.SacubitrilValsartan,
    ];

    public static H2FpefScore Compute(RiskInput input)
    {
        var points = 0;
        var present = new List<string>();
        var missing = new List<string> { "PAPS (ecocardiograma)", "E/e' (ecocardiograma)" };
        if (input.Latest(VitalKind.Bmi) is { } bmi)
        {
            if (bmi.Value > 30)
            {
                points += 2;
                present.Add($"IMC {SpanishText.Number(bmi.Value)} > 30");
            }
        }
        else if (input.Has(Comorbidity.Obesity))
        {
            points += 2;
            present.Add("obesidad");
        }
        else
        {
            missing.Insert(0, "IMC");
        }
        var drugs = input.Treatments.Select(t => t.Kind).Where(Antihypertensives.Contains).Distinct().Count();
        if (drugs >= 2)
        {
            points += 1;
            present.Add($"{drugs} antihipertensivos");
        }
        if (input.Has(Comorbidity.AtrialFibrillation))
        {
            points += 3;
            present.Add("FA");
        }
        if (input.AgeYears is { } age)
        {
            if (age > 60)
            {
                points += 1;
                present.Add($"edad {age} > 60");
            }
        }
        else
        {
            missing.Insert(0, "edad");
        }
        return new H2FpefScore(points, present, missing);
    }
}
