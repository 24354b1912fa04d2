namespace Clinical.Synthetic.History;

internal enum VisitTrigger
{
    Routine,
    HfSymptoms,
    HfWorkup,
    HfDiagnosis,
    HfFollowUp,
    Exacerbation,
}

/// <summary>
/// When a person comes to the practice, and why: routine contacts by age and comorbidity load, HF-driven and COPD
/// visits.
/// </summary>
internal static class VisitSchedule
{
    private static readonly double[] VisitsPerYearByAgeBand = [1.0, 1.6, 2.4, 3.4, 4.4, 5.0];

    public static List<(DateOnly Date, VisitTrigger Trigger)> Plan(
        Person person,
        SeededRandom rng,
        DateOnly start,
        DateOnly asOf
    )
    {
        var band = Epidemiology.AgeBands.Select((b, i) => (b, i)).First(x => person.AgeAtAsOf <= x.b.To).i;
        var rate = VisitsPerYearByAgeBand[band] + 0.5 * person.Comorbidities.Count;
        if (rng.Chance(0.1))
        {
            rate *= 0.4;
        }
        var visits = new SortedDictionary<DateOnly, VisitTrigger>();
        void Add(DateOnly from, DateOnly to, double perYear, VisitTrigger trigger)
        {
            if (to <= from)
            {
                return;
            }
            var days = to.DayNumber - from.DayNumber;
            var count = rng.Poisson(perYear * days / 365.25);
            for (var k = 0; k < count; k++)
            {
                var date = from.AddDays(rng.Next(0, days + 1));
                if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                {
                    date = date.AddDays(date.DayOfWeek == DayOfWeek.Saturday ? 2 : 1);
                }
                if (date <= asOf && (!visits.TryGetValue(date, out var existing) || existing == VisitTrigger.Routine))
                {
                    visits[date] = trigger;
                }
            }
        }

        Add(start, asOf, rate, VisitTrigger.Routine);
        if (person.CopdExacerbator)
        {
            Add(start, asOf, 0.7, VisitTrigger.Exacerbation);
        }
        if (person.HfOnset is { } onset)
        {
            var end = person.HfDiagnosis ?? asOf;
            Add(Later(onset, start), end, person.HfStatus == HfStatus.Diagnosed ? 1.6 : 1.2, VisitTrigger.HfSymptoms);
            if (person.HfDiagnosis is { } dx)
            {
                Add(dx.AddDays(7), asOf, 2.2, VisitTrigger.HfFollowUp);
                var workup = dx.AddDays(-rng.Next(14, 60));
                if (workup > start)
                {
                    visits[Weekday(workup)] = VisitTrigger.HfWorkup;
                }
                visits[dx] = VisitTrigger.HfDiagnosis;
            }
        }
        return visits.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    public static HashSet<int> AnnualLabs(
        Person person,
        SeededRandom rng,
        List<(DateOnly Date, VisitTrigger Trigger)> schedule
    )
    {
        var chronic = person.Comorbidities.Count > 0 || person.HfStatus == HfStatus.Diagnosed;
        var probability =
            chronic ? 0.85
            : person.AgeAtAsOf > 50 ? 0.45
            : 0.25;
        var chosen = new HashSet<int>();
        foreach (var year in schedule.Select(s => s.Date.Year).Distinct())
        {
            if (!rng.Chance(probability))
            {
                continue;
            }
            var candidates = schedule
                .Select((s, i) => (s, i))
                .Where(x => x.s.Date.Year == year && x.s.Trigger is VisitTrigger.Routine or VisitTrigger.HfFollowUp)
                .Select(x => x.i)
                .ToList();
            if (candidates.Count > 0)
            {
                chosen.Add(rng.Pick(candidates));
            }
        }
        return chosen;
    }

    private static DateOnly Weekday(DateOnly date) =>
        date.DayOfWeek switch
        {
            DayOfWeek.Saturday => date.AddDays(-1),
            DayOfWeek.Sunday => date.AddDays(-2),
            _ => date,
        };

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;
}
