using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic.People;

/// <summary>Samples the adults of a Spanish primary-care list from <see cref="Epidemiology"/>.</summary>
internal static class Population
{
    private static readonly double[] HfAgeWeights = Epidemiology.AgeWeights(hf: true);
    private static readonly double[] NonHfAgeWeights = Epidemiology.AgeWeights(hf: false);
    private static readonly double[] RegionWeights = Epidemiology.Regions.Select(r => r.PopulationShare).ToArray();

    public static Person Sample(CohortOptions options, int index)
    {
        var rng = new SeededRandom(options.Seed, index, RandomStream.Population);
        var asOf = options.AsOfDate;

        var hasHf = rng.Chance(options.EffectiveHfShare);
        var band = rng.PickWeighted(hasHf ? HfAgeWeights : NonHfAgeWeights);
        var (from, to) = Epidemiology.AgeBands[band];
        var age = rng.Next(from, to + 1);
        var female = rng.Chance(Epidemiology.FemaleShare[band]);
        var birthDate = asOf.AddYears(-age - 1).AddDays(rng.Next(1, 365));

        var region = Epidemiology.Regions[rng.PickWeighted(RegionWeights)];
        var historyStart = asOf.AddYears(-options.HistoryYears);

        var comorbidities = new SortedDictionary<ConditionCategory, DateOnly>(Epidemiology.DrawOrder);
        foreach (var comorbidity in Epidemiology.GeneratedComorbidities)
        {
            var rate = Epidemiology.Comorbidities[comorbidity];
            var p = Epidemiology.SexAdjusted(rate, band, female);
            if (hasHf)
            {
                p = Epidemiology.WithOddsRatio(p, rate.HfOddsRatio);
            }
            if (rng.Chance(p))
            {
                comorbidities[comorbidity] = OnsetBefore(rng, asOf, birthDate, historyStart);
            }
        }

        var anaemia = rng.Chance(Probability(Epidemiology.Anaemia, band, female, hasHf));
        var venous = rng.Chance(Probability(Epidemiology.VenousInsufficiency, band, female, hasHf));
        var amlodipine =
            comorbidities.ContainsKey(ConditionCategory.Hypertension)
            && rng.Chance(Epidemiology.AmlodipineAmongHypertensive);
        var amlodipineOedema = amlodipine && rng.Chance(Epidemiology.OedemaAmongAmlodipineUsers);
        var exacerbator =
            comorbidities.ContainsKey(ConditionCategory.Copd) && rng.Chance(Epidemiology.ExacerbatorsAmongCopd);

        var heightM = female ? rng.Normal(1.60, 0.065) : rng.Normal(1.73, 0.07);
        heightM -= Math.Max(0, age - 60) * 0.0015;
        var bmi = comorbidities.ContainsKey(ConditionCategory.Obesity)
            ? 30.5 + Math.Abs(rng.Normal(0, 3.5))
            : Math.Clamp(rng.Normal(25.0 + (age - 40) * 0.04, 2.4), 18.0, 29.8);

        var person = new Person
        {
            Index = index,
            Id = SyntheticIds.Patient(options.Seed, index),
            Sex = female ? Sex.Female : Sex.Male,
            BirthDate = birthDate,
            AgeAtAsOf = age,
            Region = region.Region,
            RegionalLanguage = region.Language,
            RegionalNoteShare = options.NoteLanguages.Contains(region.Language) ? region.NoteShare : 0,
            HeightM = Math.Round(heightM, 2),
            BaselineBmi = bmi,
            Comorbidities = comorbidities,
            Anaemia = anaemia,
            VenousInsufficiency = venous,
            OnAmlodipine = amlodipine,
            AmlodipineOedema = amlodipineOedema,
            CopdExacerbator = exacerbator,
            HfStatus = HfStatus.None,
        };
        return hasHf ? WithHeartFailure(person, rng, options) : person;
    }

    private static double Probability(Epidemiology.ComorbidityRate rate, int band, bool female, bool hf)
    {
        var p = Epidemiology.SexAdjusted(rate, band, female);
        return hf ? Epidemiology.WithOddsRatio(p, rate.HfOddsRatio) : p;
    }

    private static DateOnly OnsetBefore(SeededRandom rng, DateOnly asOf, DateOnly birthDate, DateOnly historyStart)
    {
        var adulthood = birthDate.AddYears(18);
        var earliest = adulthood > historyStart.AddYears(-15) ? adulthood : historyStart.AddYears(-15);
        var span = asOf.DayNumber - earliest.DayNumber;
        var onset = earliest.AddDays((int)(span * Math.Pow(rng.NextDouble(), 0.6)));
        return onset > asOf.AddDays(-30) ? asOf.AddDays(-30) : onset;
    }

    private static Person WithHeartFailure(Person person, SeededRandom rng, CohortOptions options)
    {
        var asOf = options.AsOfDate;
        var weights = (double[])Epidemiology.PhenotypeShare.Clone();
        if (person.Sex == Sex.Male && person.Has(ConditionCategory.IschaemicHeartDisease))
        {
            weights = [0.6, 0.15, 0.25];
        }
        else if (person.Female && person.AgeAtAsOf >= 75)
        {
            weights = [0.18, 0.14, 0.68];
        }
        var phenotype = (HfPhenotype)rng.PickWeighted(weights);
        var lvef = phenotype switch
        {
            HfPhenotype.HFrEF => rng.Uniform(20, 40),
            HfPhenotype.HFmrEF => rng.Uniform(41, 49.5),
            _ => rng.Uniform(50, 68),
        };

        var diagnosed = !rng.Chance(options.UndiagnosedShare);
        DateOnly onset;
        DateOnly? diagnosis = null;
        var historyDays = options.HistoryYears * 365;
        if (diagnosed)
        {
            var dx = asOf.AddDays(-rng.Next(20, Math.Max(60, historyDays - 200)));
            diagnosis = dx;
            onset = dx.AddDays(-rng.Next(90, 900));
        }
        else
        {
            onset = asOf.AddDays(-rng.Next(60, 1100));
        }
        var adulthood = person.BirthDate.AddYears(18);
        if (onset < adulthood)
        {
            onset = adulthood;
        }
        if (diagnosis is { } d && d <= onset)
        {
            diagnosis = onset.AddDays(60);
        }
        if (diagnosis > asOf)
        {
            diagnosis = asOf;
        }
        if (diagnosis is { } day && day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            diagnosis = day.AddDays(day.DayOfWeek == DayOfWeek.Saturday ? -1 : -2);
        }

        return person with
        {
            HfStatus = diagnosed ? HfStatus.Diagnosed : HfStatus.Undiagnosed,
            HfOnset = onset,
            HfDiagnosis = diagnosis,
            Phenotype = phenotype,
            Lvef = Math.Round(lvef),
        };
    }
}
