namespace Clinical.Models.Scoring.Evidence;

/// <summary>An H2FPEF input that scored: which, and its value where it has one (BMI, drug count, age).</summary>
public sealed record H2FpefItem(H2FpefComponent Component, double? Value = null);

public enum H2FpefComponent
{
    Bmi,
    Obesity,
    Antihypertensives,
    AtrialFibrillation,
    Age,
}

/// <summary>An H2FPEF input the record lacks.</summary>
public enum H2FpefInput
{
    Age,
    Bmi,
    PulmonaryArterySystolicPressure,
    FillingPressure,
}

/// <summary>
/// H2FPEF score (Reddy et al., Circulation 2018;138:861): Heavy (BMI &gt; 30 kg/m2: 2), Hypertensive (≥ 2
/// antihypertensive drugs: 1), atrial Fibrillation (3), Pulmonary hypertension (PASP &gt; 35 mmHg: 1),
/// Elder (age &gt; 60: 1), Filling pressure (E/e' &gt; 9: 1); 0–9. Primary-care records rarely hold PASP or
/// E/e', so the score is a lower bound and the missing inputs are named.
/// </summary>
public sealed record H2FpefScore(int Points, IReadOnlyList<H2FpefItem> Present, IReadOnlyList<H2FpefInput> Missing)
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

    public H2FpefFact Fact => new(Points, Present, Missing);

    public static H2FpefScore Compute(RiskInput input)
    {
        var points = 0;
        var present = new List<H2FpefItem>();
        var missing = new List<H2FpefInput>
        {
            H2FpefInput.PulmonaryArterySystolicPressure,
            H2FpefInput.FillingPressure,
        };
        if (input.Latest(VitalKind.Bmi) is { } bmi)
        {
            if (bmi.Value > 30)
            {
                points += 2;
                present.Add(new H2FpefItem(H2FpefComponent.Bmi, bmi.Value));
            }
        }
        else if (input.Has(Comorbidity.Obesity))
        {
            points += 2;
            present.Add(new H2FpefItem(H2FpefComponent.Obesity));
        }
        else
        {
            missing.Insert(0, H2FpefInput.Bmi);
        }
        var drugs = input.Treatments.Select(t => t.Kind).Where(Antihypertensives.Contains).Distinct().Count();
        if (drugs >= 2)
        {
            points += 1;
            present.Add(new H2FpefItem(H2FpefComponent.Antihypertensives, drugs));
        }
        if (input.Has(Comorbidity.AtrialFibrillation))
        {
            points += 3;
            present.Add(new H2FpefItem(H2FpefComponent.AtrialFibrillation));
        }
        if (input.AgeYears is { } age)
        {
            if (age > 60)
            {
                points += 1;
                present.Add(new H2FpefItem(H2FpefComponent.Age, age));
            }
        }
        else
        {
            missing.Insert(0, H2FpefInput.Age);
        }
        return new H2FpefScore(points, present, missing);
    }
}
