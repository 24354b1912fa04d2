namespace Clinical.Fhir.Synthetic;

/// <summary>
/// Turns a <see cref="Person"/> into years of primary-care contacts: visit dates, signs, vitals,
/// labs, clinical impressions and plans, with HF signs building up from onset to diagnosis.
/// </summary>
internal static class Trajectories
{
    private static readonly double[] VisitsPerYearByAgeBand = [1.0, 1.6, 2.4, 3.4, 4.4, 5.0];
    private static readonly Sign[] HfSigns = [Sign.ExertionalDyspnoea, Sign.Orthopnoea, Sign.NocturnalDyspnoea, Sign.AnkleOedema, Sign.WeightGain];
    private static readonly Sign[] AskedSigns = [Sign.ExertionalDyspnoea, Sign.Orthopnoea, Sign.NocturnalDyspnoea, Sign.AnkleOedema, Sign.Palpitations];

    private enum Trigger
    {
        Routine,
        HfSymptoms,
        HfWorkup,
        HfDiagnosis,
        HfFollowUp,
        Exacerbation,
    }

    public static ClinicalHistory Build(Person person, CohortOptions options)
    {
        var rng = new SeededRandom(options.Seed, person.Index, RandomStream.Trajectory);
        var asOf = options.AsOfDate;
        var start = Later(asOf.AddYears(-options.HistoryYears), person.BirthDate.AddYears(18));
        var medications = Medications.Prescribe(person, options, start);
        var body = new Physiology(person, rng, asOf);
        var conventions = new LabConventions(
            NtProBnpInPmol: rng.Chance(0.12),
            NtProBnpInNgPerL: rng.Chance(0.2),
            CreatinineInMicromol: rng.Chance(0.25),
            EgfrByCkdEpi: rng.Chance(0.7),
            BnpLaboratory: rng.Chance(0.1));

        var schedule = Schedule(person, rng, start, asOf);
        var labYears = LabVisits(person, rng, schedule);
        var visits = new List<ClinicalVisit>(schedule.Count);
        var pendingNtProBnp = false;
        var pendingEcho = false;
        var lastNtProBnp = (double?)null;
        var lastWeight = (double?)null;
        var echoDone = false;

        for (var i = 0; i < schedule.Count; i++)
        {
            var (date, trigger) = schedule[i];
            var severity = body.Severity(date);
            var diagnosedBy = person.HfStatus == HfStatus.Diagnosed && person.HfDiagnosis <= date;
            var onLoop = Medications.IsTaking(medications, date, Medications.IsLoopDiuretic);
            var betaBlocked = Medications.IsTaking(medications, date, Medications.IsBetaBlocker);
            var onMra = Medications.IsTaking(medications, date, Medications.IsMra);
            if (diagnosedBy && trigger == Trigger.HfFollowUp && rng.Chance(0.2))
            {
                severity = 0.85;
            }

            var reason = ReasonFor(trigger, person, rng);
            var acute = reason == VisitReason.Acute ? (AcuteProblem?)rng.Pick(Enum.GetValues<AcuteProblem>()) : null;
            var author = AuthorFor(reason, rng);
            var present = Signs(person, rng, severity, trigger, reason, author, date, medications);

            var withLabs = labYears.Contains(i) || pendingNtProBnp || trigger == Trigger.HfDiagnosis;
            var natriuretic = trigger == Trigger.HfDiagnosis || pendingNtProBnp
                || (withLabs && diagnosedBy && rng.Chance(0.55))
                || (withLabs && (person.Has(Comorbidity.AtrialFibrillation) || person.Has(Comorbidity.ChronicKidneyDisease)) && rng.Chance(0.08))
                || (withLabs && person.AgeAtAsOf > 70 && rng.Chance(0.03));
            var labs = new List<LabResult>();
            if (withLabs)
            {
                var drawn = date.AddDays(-rng.Next(2, 10)).ToDateTime(new TimeOnly(8, 0).Add(TimeSpan.FromMinutes(5 * rng.Next(0, 18))));
                var drawnDay = DateOnly.FromDateTime(drawn);
                if (natriuretic)
                {
                    var nt = body.NtProBnp(drawnDay, body.Severity(drawnDay), diagnosedBy);
                    lastNtProBnp = nt;
                    labs.Add(conventions.BnpLaboratory && rng.Chance(0.7)
                        ? new LabResult(LabTest.Bnp, Math.Round(Math.Max(5, nt / rng.Uniform(5.5, 8.5))), drawn)
                        : new LabResult(LabTest.NtProBnp, nt, drawn));
                }
                if (labYears.Contains(i) || trigger == Trigger.HfDiagnosis || rng.Chance(0.5))
                {
                    var egfr = body.Egfr(drawnDay, onLoop);
                    labs.Add(new LabResult(LabTest.Creatinine, body.CreatinineFor(egfr, drawnDay), drawn));
                    labs.Add(new LabResult(LabTest.Egfr, egfr, drawn));
                    labs.Add(new LabResult(LabTest.Potassium, body.Potassium(onMra, onLoop), drawn));
                    labs.Add(new LabResult(LabTest.Sodium, body.Sodium(severity, onLoop), drawn));
                    labs.Add(new LabResult(LabTest.Haemoglobin, body.Haemoglobin(), drawn));
                }
                pendingNtProBnp = false;
                if (reason is VisitReason.ChronicReview or VisitReason.Prescription or VisitReason.BloodPressureCheck or VisitReason.DiabetesReview)
                {
                    reason = VisitReason.LabReview;
                    author = CareRole.Physician;
                }
            }

            var weight = body.WeightKg(date, severity, onLoop);
            var recordVitals = author == CareRole.Nurse ? rng.Chance(0.95)
                : reason is VisitReason.Symptoms or VisitReason.HfDiagnosis or VisitReason.HfFollowUp or VisitReason.CopdExacerbation ? rng.Chance(0.85)
                : rng.Chance(0.45);
            var vitals = recordVitals ? body.Vitals(date, severity, weight, betaBlocked, reason == VisitReason.CopdExacerbation) : null;
            var weightChange = vitals is not null && lastWeight is { } previous ? Math.Round(vitals.WeightKg - previous, 1) : 0;
            if (vitals is not null)
            {
                lastWeight = vitals.WeightKg;
            }
            if (weightChange >= 2 && severity > 0.3 && !present.Contains(Sign.WeightGain))
            {
                present.Add(Sign.WeightGain);
            }

            var impressions = new List<Impression>();
            var plan = new List<PlanItem>();
            double? echo = null;
            if (author == CareRole.Physician)
            {
                Assess(person, rng, trigger, reason, severity, present, labs, lastNtProBnp, diagnosedBy, impressions, plan);
                if (trigger == Trigger.HfDiagnosis)
                {
                    echo = person.Lvef;
                    echoDone = true;
                }
                else if (pendingEcho && !echoDone && EchoAllowed(person))
                {
                    echo = person.HfStatus == HfStatus.None ? Math.Round(rng.Uniform(55, 70)) : person.Lvef;
                    echoDone = true;
                    pendingEcho = false;
                    impressions.Clear();
                    impressions.Add(Impression.HfRuledOut);
                }
                if (plan.Contains(PlanItem.RequestNtProBnp))
                {
                    pendingNtProBnp = true;
                }
                if (plan.Contains(PlanItem.RequestEcho) && !echoDone && rng.Chance(0.5))
                {
                    pendingEcho = true;
                }
            }

            var denied = new List<Sign>();
            var asks = author == CareRole.Physician
                ? reason is VisitReason.Symptoms or VisitReason.HfFollowUp or VisitReason.CopdExacerbation or VisitReason.HfDiagnosis ? 0.6 : reason == VisitReason.Acute ? 0.05 : 0.3
                : 0.3;
            foreach (var sign in AskedSigns)
            {
                if (!present.Contains(sign) && (author == CareRole.Physician || sign == Sign.AnkleOedema || sign == Sign.ExertionalDyspnoea) && rng.Chance(asks))
                {
                    denied.Add(sign);
                }
            }

            var hasOedema = present.Contains(Sign.AnkleOedema);
            visits.Add(new ClinicalVisit
            {
                Ordinal = i,
                Start = date.ToDateTime(VisitTime(rng)),
                Author = author,
                Reason = reason,
                Acute = acute,
                Vitals = vitals,
                RecordVitals = vitals is not null,
                Labs = labs,
                Present = present,
                Denied = denied,
                Crackles = (severity > 0.45 && rng.Chance(0.55 * severity)) || (reason == VisitReason.CopdExacerbation && rng.Chance(0.3)),
                IrregularPulse = person.Has(Comorbidity.AtrialFibrillation),
                JugularDistension = severity > 0.6 && rng.Chance(0.3),
                PittingOedema = hasOedema && rng.Chance(severity > 0.3 ? 0.7 : 0.35),
                WeightChangeKg = weightChange,
                Impressions = impressions,
                Plan = plan,
                FollowUpWeeks = rng.Pick([2, 2, 3, 4, 4, 6, 8, 12, 12, 24]),
                EchoLvef = echo,
                WriteNote = trigger == Trigger.HfDiagnosis || rng.Chance(author == CareRole.Physician ? 0.9 : 0.75),
            });
        }

        var coded = person.Comorbidities.Keys.ToDictionary(c => c, c => rng.Chance(c switch
        {
            Comorbidity.Obesity => 0.55,
            Comorbidity.Copd => 0.8,
            Comorbidity.ChronicKidneyDisease => 0.7,
            _ => 0.93,
        }));
        return new ClinicalHistory(person, visits, medications, conventions, coded, person.Anaemia && rng.Chance(0.5), person.VenousInsufficiency && rng.Chance(0.6));
    }

    private static bool EchoAllowed(Person person) => person.HfStatus switch
    {
        HfStatus.None => true,
        HfStatus.Undiagnosed => person.Phenotype == HfPhenotype.HFpEF,
        _ => false,
    };

    private static List<(DateOnly Date, Trigger Trigger)> Schedule(Person person, SeededRandom rng, DateOnly start, DateOnly asOf)
    {
        var band = Epidemiology.AgeBands.Select((b, i) => (b, i)).First(x => person.AgeAtAsOf <= x.b.To).i;
        var rate = VisitsPerYearByAgeBand[band] + 0.5 * person.Comorbidities.Count;
        if (rng.Chance(0.1))
        {
            rate *= 0.4;
        }
        var visits = new SortedDictionary<DateOnly, Trigger>();
        void Add(DateOnly from, DateOnly to, double perYear, Trigger trigger)
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
                if (date <= asOf && (!visits.TryGetValue(date, out var existing) || existing == Trigger.Routine))
                {
                    visits[date] = trigger;
                }
            }
        }

        Add(start, asOf, rate, Trigger.Routine);
        if (person.CopdExacerbator)
        {
            Add(start, asOf, 0.7, Trigger.Exacerbation);
        }
        if (person.HfOnset is { } onset)
        {
            var end = person.HfDiagnosis ?? asOf;
            Add(Later(onset, start), end, person.HfStatus == HfStatus.Diagnosed ? 1.6 : 1.2, Trigger.HfSymptoms);
            if (person.HfDiagnosis is { } dx)
            {
                Add(dx.AddDays(7), asOf, 2.2, Trigger.HfFollowUp);
                var workup = dx.AddDays(-rng.Next(14, 60));
                if (workup > start)
                {
                    visits[Weekday(workup)] = Trigger.HfWorkup;
                }
                visits[dx] = Trigger.HfDiagnosis;
            }
        }
        return visits.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    private static HashSet<int> LabVisits(Person person, SeededRandom rng, List<(DateOnly Date, Trigger Trigger)> schedule)
    {
        var chronic = person.Comorbidities.Count > 0 || person.HfStatus == HfStatus.Diagnosed;
        var probability = chronic ? 0.85 : person.AgeAtAsOf > 50 ? 0.45 : 0.25;
        var chosen = new HashSet<int>();
        foreach (var year in schedule.Select(s => s.Date.Year).Distinct())
        {
            if (!rng.Chance(probability))
            {
                continue;
            }
            var candidates = schedule.Select((s, i) => (s, i)).Where(x => x.s.Date.Year == year && x.s.Trigger is Trigger.Routine or Trigger.HfFollowUp).Select(x => x.i).ToList();
            if (candidates.Count > 0)
            {
                chosen.Add(rng.Pick(candidates));
            }
        }
        return chosen;
    }

    private static VisitReason ReasonFor(Trigger trigger, Person person, SeededRandom rng)
    {
        switch (trigger)
        {
            case Trigger.HfSymptoms:
            case Trigger.HfWorkup:
                return VisitReason.Symptoms;
            case Trigger.HfDiagnosis:
                return VisitReason.HfDiagnosis;
            case Trigger.HfFollowUp:
                return VisitReason.HfFollowUp;
            case Trigger.Exacerbation:
                return VisitReason.CopdExacerbation;
        }
        var weights = new[]
        {
            person.Comorbidities.Count > 0 ? 0.22 : 0.03,
            person.Has(Comorbidity.Hypertension) ? 0.25 : 0.02,
            person.Has(Comorbidity.Diabetes) ? 0.2 : 0,
            0,
            0.06,
            0,
            0,
            0,
            person.Comorbidities.Count > 0 ? 0.1 : 0.03,
            0.4,
        };
        return (VisitReason)rng.PickWeighted(weights);
    }

    private static CareRole AuthorFor(VisitReason reason, SeededRandom rng) => reason switch
    {
        VisitReason.BloodPressureCheck => rng.Chance(0.85) ? CareRole.Nurse : CareRole.Physician,
        VisitReason.DiabetesReview => rng.Chance(0.75) ? CareRole.Nurse : CareRole.Physician,
        VisitReason.HfFollowUp => rng.Chance(0.4) ? CareRole.Nurse : CareRole.Physician,
        VisitReason.ChronicReview => rng.Chance(0.3) ? CareRole.Nurse : CareRole.Physician,
        _ => CareRole.Physician,
    };

    private static List<Sign> Signs(Person person, SeededRandom rng, double s, Trigger trigger, VisitReason reason, CareRole author, DateOnly date, IReadOnlyList<MedicationCourse> medications)
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
            var boost = trigger is Trigger.HfSymptoms or Trigger.HfWorkup or Trigger.HfDiagnosis ? 1.25 : 0.8;
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
        if (person.Has(Comorbidity.Obesity))
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
        if (person.Has(Comorbidity.ChronicKidneyDisease))
        {
            Maybe(Sign.Nocturia, 0.15);
            Maybe(Sign.AnkleOedema, 0.08);
        }
        if (person.Has(Comorbidity.AtrialFibrillation))
        {
            Maybe(Sign.Palpitations, 0.22);
            Maybe(Sign.ExertionalDyspnoea, 0.08);
        }
        if (person.Has(Comorbidity.Copd))
        {
            Maybe(Sign.ExertionalDyspnoea, 0.3);
            Maybe(Sign.Cough, 0.25);
        }
        if (trigger == Trigger.Exacerbation)
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
            present.IntersectWith([Sign.AnkleOedema, Sign.ExertionalDyspnoea, Sign.Fatigue, Sign.WeightGain, Sign.Nocturia]);
        }
        return present.OrderBy(x => x).ToList();
    }

    private static void Assess(
        Person person, SeededRandom rng, Trigger trigger, VisitReason reason, double severity, List<Sign> present,
        List<LabResult> labs, double? lastNtProBnp, bool knownHf, List<Impression> impressions, List<PlanItem> plan)
    {
        if (trigger == Trigger.HfDiagnosis)
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
        if (trigger == Trigger.HfWorkup)
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
            if (person.Has(Comorbidity.AtrialFibrillation) && rng.Chance(0.45))
            {
                impressions.Add(Impression.AfControl);
            }
            else if (person.Has(Comorbidity.ChronicKidneyDisease) && rng.Chance(0.45))
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
                HfStatus.Undiagnosed => 0.08 + 0.2 * severity,
                _ => 0.06,
            };
            if (present.Contains(Sign.Orthopnoea) || present.Contains(Sign.NocturnalDyspnoea))
            {
                suspicion += 0.15;
            }
            var mimic = MimicFor(person, present, rng);
            if (mimic is { } m && !rng.Chance(suspicion))
            {
                impressions.Add(m);
                plan.Add(m switch
                {
                    Impression.AmlodipineOedema => PlanItem.ReviewAmlodipine,
                    Impression.VenousInsufficiency => PlanItem.CompressionStockings,
                    Impression.AnaemiaWorkup => PlanItem.IronStudies,
                    _ => PlanItem.FollowUp,
                });
                if (rng.Chance(0.12) && lastNtProBnp is null)
                {
                    plan.Add(PlanItem.RequestNtProBnp);
                }
                return;
            }
            if (rng.Chance(suspicion + 0.1))
            {
                impressions.Add(Impression.SuspectedHf);
                if (lastNtProBnp is null || rng.Chance(0.5))
                {
                    plan.Add(PlanItem.RequestNtProBnp);
                }
                return;
            }
        }
        if (reason is VisitReason.ChronicReview or VisitReason.LabReview)
        {
            if (person.Has(Comorbidity.AtrialFibrillation) && rng.Chance(0.35))
            {
                impressions.Add(Impression.AfControl);
            }
            else if (person.Has(Comorbidity.ChronicKidneyDisease) && rng.Chance(0.35))
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
            if (person.Has(Comorbidity.Obesity))
            {
                options.Add(Impression.ObesityDyspnoea);
            }
            if (person.Has(Comorbidity.Copd))
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

    private static TimeOnly VisitTime(SeededRandom rng) =>
        rng.Chance(0.7)
            ? new TimeOnly(8, 0).Add(TimeSpan.FromMinutes(5 * rng.Next(0, 78)))
            : new TimeOnly(15, 0).Add(TimeSpan.FromMinutes(5 * rng.Next(0, 60)));

    private static DateOnly Weekday(DateOnly date) => date.DayOfWeek switch
    {
        DayOfWeek.Saturday => date.AddDays(-1),
        DayOfWeek.Sunday => date.AddDays(-2),
        _ => date,
    };

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;
}
