using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic.History;

/// <summary>
/// Signs and symptoms present at a visit: from HF severity, from each mimic, and background complaints.
/// </summary>
internal static class Symptoms
{
    public static List<Sign> Present(
        Person person,
        SeededRandom rng,
        double s,
        VisitTrigger trigger,
        VisitReason reason,
        CareRole author,
        DateOnly date,
        IReadOnlyList<MedicationCourse> medications
    )
    {
        var present = new HashSet<Sign>();
        var documented = reason is VisitReason.Acute or VisitReason.Prescription ? 0.25 : 1.0;
        void Maybe(Sign sign, double p)
        {
            if (rng.Chance(p * documented))
            {
                present.Add(sign);
            }
        }

        if (s > 0)
        {
            var boost = trigger is VisitTrigger.HfSymptoms or VisitTrigger.HfWorkup or VisitTrigger.HfDiagnosis
                ? 1.25
                : 0.8;
            Maybe(Sign.ExertionalDyspnoea, Math.Min(0.95, 0.85 * s * boost));
            Maybe(Sign.Orthopnoea, 0.5 * s * s * boost);
            Maybe(Sign.NocturnalDyspnoea, 0.3 * s * s * boost);
            Maybe(Sign.AnkleOedema, Math.Min(0.9, 0.65 * s * boost));
            Maybe(Sign.Nocturia, 0.3 * s);
            Maybe(Sign.Fatigue, 0.5 * s);
        }
        if (person.AmlodipineOedema && Medications.IsTaking(medications, date, d => d == Drug.Amlodipine))
        {
            Maybe(Sign.AnkleOedema, 0.55);
        }
        if (person.VenousInsufficiency)
        {
            Maybe(Sign.AnkleOedema, 0.4);
        }
        if (person.Has(ConditionCategory.Obesity))
        {
            Maybe(Sign.ExertionalDyspnoea, 0.18);
            Maybe(Sign.Fatigue, 0.1);
        }
        if (person.Anaemia)
        {
            Maybe(Sign.Fatigue, 0.35);
            Maybe(Sign.ExertionalDyspnoea, 0.18);
            Maybe(Sign.Palpitations, 0.08);
        }
        if (person.Has(ConditionCategory.ChronicKidneyDisease))
        {
            Maybe(Sign.Nocturia, 0.15);
            Maybe(Sign.AnkleOedema, 0.08);
        }
        if (person.Has(ConditionCategory.AtrialFibrillation))
        {
            Maybe(Sign.Palpitations, 0.22);
            Maybe(Sign.ExertionalDyspnoea, 0.08);
        }
        if (person.Has(ConditionCategory.Copd))
        {
            Maybe(Sign.ExertionalDyspnoea, 0.3);
            Maybe(Sign.Cough, 0.25);
        }
        if (trigger == VisitTrigger.Exacerbation)
        {
            present.Add(Sign.ExertionalDyspnoea);
            present.Add(Sign.Cough);
            Maybe(Sign.Wheeze, 0.7);
        }
        if (reason == VisitReason.Acute)
        {
            Maybe(Sign.Cough, 0.1);
        }
        if (person.Sex == Sex.Male && person.AgeAtAsOf > 60)
        {
            Maybe(Sign.Nocturia, 0.12);
        }
        Maybe(Sign.Fatigue, 0.03);
        Maybe(Sign.ExertionalDyspnoea, 0.015);
        if (author == CareRole.Nurse)
        {
            present.IntersectWith([
                Sign.AnkleOedema,
                Sign.ExertionalDyspnoea,
                Sign.Fatigue,
                Sign.WeightGain,
                Sign.Nocturia,
            ]);
        }
        return present.OrderBy(x => x).ToList();
    }
}
