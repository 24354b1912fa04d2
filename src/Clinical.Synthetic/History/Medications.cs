using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic.History;

/// <summary>
/// Chronic prescriptions from the person's conditions, and guideline HF treatment from the diagnosis date.
/// </summary>
internal static class Medications
{
    public static IReadOnlyList<MedicationCourse> Prescribe(Person person, CohortOptions options, DateOnly historyStart)
    {
        var rng = new SeededRandom(options.Seed, person.Index, RandomStream.Medications);
        var courses = new List<MedicationCourse>();
        var hfDiagnosis = person.HfStatus == HfStatus.Diagnosed ? person.HfDiagnosis : null;
        var reduced = person.Phenotype is HfPhenotype.HFrEF or HfPhenotype.HFmrEF;

        DateOnly StartOf(ConditionCategory c) =>
            Later(person.Comorbidities[c].AddDays(rng.Next(0, 60)), historyStart.AddYears(-3));

        var betaBlockerGiven = false;
        if (person.Has(ConditionCategory.Hypertension))
        {
            var start = StartOf(ConditionCategory.Hypertension);
            var raas = rng.Pick([Drug.Enalapril, Drug.Ramipril, Drug.Losartan, Drug.Valsartan]);
            if (
                hfDiagnosis is { } dx
                && person.Phenotype == HfPhenotype.HFrEF
                && rng.Chance(0.45)
                && dx.AddDays(120) < options.AsOfDate
            )
            {
                courses.Add(new(raas, start, dx.AddDays(rng.Next(30, 120))));
                courses.Add(new(Drug.SacubitrilValsartan, courses[^1].End!.Value.AddDays(2), null));
            }
            else
            {
                courses.Add(new(raas, start, null));
            }
            if (person.OnAmlodipine)
            {
                courses.Add(new(Drug.Amlodipine, start.AddDays(rng.Next(0, 400)), null));
            }
            if (rng.Chance(0.3))
            {
                courses.Add(new(Drug.Hydrochlorothiazide, start.AddDays(rng.Next(0, 600)), hfDiagnosis));
            }
        }
        if (person.Has(ConditionCategory.Diabetes))
        {
            var start = StartOf(ConditionCategory.Diabetes);
            courses.Add(new(Drug.Metformin, start, null));
            if (rng.Chance(0.18))
            {
                courses.Add(
                    new(
                        rng.Chance(0.5) ? Drug.Empagliflozin : Drug.Dapagliflozin,
                        start.AddDays(rng.Next(200, 900)),
                        null
                    )
                );
            }
        }
        if (person.Has(ConditionCategory.AtrialFibrillation))
        {
            var start = StartOf(ConditionCategory.AtrialFibrillation);
            courses.Add(new(rng.Chance(0.55) ? Drug.Apixaban : Drug.Acenocoumarol, start, null));
            if (rng.Chance(0.55))
            {
                courses.Add(new(Drug.Bisoprolol, start, null));
                betaBlockerGiven = true;
            }
            if (rng.Chance(0.1))
            {
                courses.Add(new(Drug.Digoxin, start.AddDays(rng.Next(0, 300)), null));
            }
        }
        if (person.Has(ConditionCategory.IschaemicHeartDisease))
        {
            var start = StartOf(ConditionCategory.IschaemicHeartDisease);
            courses.Add(new(Drug.Atorvastatin, start, null));
            if (!betaBlockerGiven && rng.Chance(0.6))
            {
                courses.Add(new(Drug.Bisoprolol, start, null));
                betaBlockerGiven = true;
            }
        }
        if (person.Has(ConditionCategory.Copd))
        {
            var start = StartOf(ConditionCategory.Copd);
            courses.Add(new(Drug.Salbutamol, start, null));
            if (rng.Chance(0.6))
            {
                courses.Add(new(Drug.Tiotropium, start.AddDays(rng.Next(0, 500)), null));
            }
        }
        if (person.Anaemia && rng.Chance(0.4))
        {
            var start = options.AsOfDate.AddDays(-rng.Next(30, 900));
            courses.Add(
                new(
                    Drug.FerrousSulfate,
                    start,
                    start.AddDays(rng.Next(60, 180)) is var end && end < options.AsOfDate ? end : null
                )
            );
        }

        if (hfDiagnosis is { } diagnosis)
        {
            courses.Add(new(rng.Chance(0.8) ? Drug.Furosemide : Drug.Torasemide, diagnosis, null));
            if (reduced && !betaBlockerGiven && rng.Chance(0.85))
            {
                courses.Add(
                    new(
                        rng.Pick([Drug.Bisoprolol, Drug.Bisoprolol, Drug.Carvedilol, Drug.Nebivolol, Drug.Metoprolol]),
                        diagnosis.AddDays(rng.Next(0, 60)),
                        null
                    )
                );
            }
            if (!person.Has(ConditionCategory.Hypertension) && reduced && rng.Chance(0.75))
            {
                courses.Add(
                    new(
                        rng.Chance(0.35)
                            ? Drug.SacubitrilValsartan
                            : rng.Pick([Drug.Enalapril, Drug.Ramipril, Drug.Losartan]),
                        diagnosis.AddDays(rng.Next(0, 60)),
                        null
                    )
                );
            }
            if (person.Phenotype == HfPhenotype.HFrEF && rng.Chance(0.6))
            {
                courses.Add(
                    new(
                        rng.Chance(0.8) ? Drug.Spironolactone : Drug.Eplerenone,
                        diagnosis.AddDays(rng.Next(14, 120)),
                        null
                    )
                );
            }
            var onSglt2 = courses.Exists(c => c.Drug is Drug.Dapagliflozin or Drug.Empagliflozin);
            if (!onSglt2 && diagnosis.Year >= 2021 && rng.Chance(reduced ? 0.65 : 0.45))
            {
                courses.Add(
                    new(
                        rng.Chance(0.5) ? Drug.Dapagliflozin : Drug.Empagliflozin,
                        diagnosis.AddDays(rng.Next(0, 150)),
                        null
                    )
                );
            }
        }

        return courses
            .Where(c => c.Start <= options.AsOfDate)
            .Where(c => c.End is null || c.End >= c.Start) // a course stopped before it would start was never taken
            .Select(c => c.End is { } end && end > options.AsOfDate ? c with { End = null } : c)
            .ToList();
    }

    public static bool IsTaking(IReadOnlyList<MedicationCourse> courses, DateOnly date, Func<Drug, bool> match)
    {
        foreach (var course in courses)
        {
            if (match(course.Drug) && course.Start <= date && (course.End is null || course.End >= date))
            {
                return true;
            }
        }
        return false;
    }

    public static bool IsLoopDiuretic(Drug drug) => drug is Drug.Furosemide or Drug.Torasemide;

    public static bool IsBetaBlocker(Drug drug) =>
        drug is Drug.Bisoprolol or Drug.Carvedilol or Drug.Nebivolol or Drug.Metoprolol;

    public static bool IsMra(Drug drug) => drug is Drug.Spironolactone or Drug.Eplerenone;

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;
}
