using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic.History;

/// <summary>
/// Turns a <see cref="Person"/> into years of primary-care contacts: visit dates, signs, vitals,
/// labs, clinical impressions and plans, with HF signs building up from onset to diagnosis.
/// </summary>
internal static class Trajectories
{
    private static readonly Sign[] AskedSigns =
    [
        Sign.ExertionalDyspnoea,
        Sign.Orthopnoea,
        Sign.NocturnalDyspnoea,
        Sign.AnkleOedema,
        Sign.Palpitations,
    ];

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
            BnpLaboratory: rng.Chance(0.1)
        );

        var schedule = VisitSchedule.Plan(person, rng, start, asOf);
        var labYears = VisitSchedule.AnnualLabs(person, rng, schedule);
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
            if (diagnosedBy && trigger == VisitTrigger.HfFollowUp && rng.Chance(0.2))
            {
                severity = 0.85;
            }

            var reason = ReasonFor(trigger, person, rng);
            var acute = reason == VisitReason.Acute ? (AcuteProblem?)rng.Pick(Enum.GetValues<AcuteProblem>()) : null;
            var author = AuthorFor(reason, rng);
            var present = Symptoms.Present(person, rng, severity, trigger, reason, author, date, medications);

            var withLabs = labYears.Contains(i) || pendingNtProBnp || trigger == VisitTrigger.HfDiagnosis;
            var natriuretic =
                trigger == VisitTrigger.HfDiagnosis
                || pendingNtProBnp
                || (withLabs && diagnosedBy && rng.Chance(0.55))
                || (
                    withLabs
                    && (
                        person.Has(ConditionCategory.AtrialFibrillation)
                        || person.Has(ConditionCategory.ChronicKidneyDisease)
                    )
                    && rng.Chance(0.05)
                )
                || (withLabs && person.AgeAtAsOf > 70 && rng.Chance(0.02));
            var labs = new List<LabResult>();
            if (withLabs)
            {
                var drawn = date.AddDays(-rng.Next(2, 10))
                    .ToDateTime(new TimeOnly(8, 0).Add(TimeSpan.FromMinutes(5 * rng.Next(0, 18))));
                var drawnDay = DateOnly.FromDateTime(drawn);
                if (natriuretic)
                {
                    var nt = body.NtProBnp(drawnDay, body.Severity(drawnDay), diagnosedBy);
                    lastNtProBnp = nt;
                    labs.Add(
                        conventions.BnpLaboratory && rng.Chance(0.7)
                            ? new LabResult(LabTest.Bnp, Math.Round(Math.Max(5, nt / rng.Uniform(5.5, 8.5))), drawn)
                            : new LabResult(LabTest.NtProBnp, nt, drawn)
                    );
                }
                if (labYears.Contains(i) || trigger == VisitTrigger.HfDiagnosis || rng.Chance(0.5))
                {
                    var egfr = body.Egfr(drawnDay, onLoop);
                    labs.Add(new LabResult(LabTest.Creatinine, body.CreatinineFor(egfr, drawnDay), drawn));
                    labs.Add(new LabResult(LabTest.Egfr, egfr, drawn));
                    labs.Add(new LabResult(LabTest.Potassium, body.Potassium(onMra, onLoop), drawn));
                    labs.Add(new LabResult(LabTest.Sodium, body.Sodium(severity, onLoop), drawn));
                    labs.Add(new LabResult(LabTest.Haemoglobin, body.Haemoglobin(), drawn));
                }
                pendingNtProBnp = false;
                if (
                    reason
                    is VisitReason.ChronicReview
                        or VisitReason.Prescription
                        or VisitReason.BloodPressureCheck
                        or VisitReason.DiabetesReview
                )
                {
                    reason = VisitReason.LabReview;
                    author = CareRole.Physician;
                }
            }

            var weight = body.WeightKg(date, severity, onLoop);
            var recordVitals =
                author == CareRole.Nurse ? rng.Chance(0.95)
                : reason
                    is VisitReason.Symptoms
                        or VisitReason.HfDiagnosis
                        or VisitReason.HfFollowUp
                        or VisitReason.CopdExacerbation
                    ? rng.Chance(0.85)
                : rng.Chance(0.45);
            var vitals = recordVitals
                ? body.Vitals(date, severity, weight, betaBlocked, reason == VisitReason.CopdExacerbation)
                : null;
            var weightChange =
                vitals is not null && lastWeight is { } previous ? Math.Round(vitals.WeightKg - previous, 1) : 0;
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
                ClinicalImpressions.Assess(
                    person,
                    rng,
                    trigger,
                    reason,
                    severity,
                    present,
                    labs,
                    lastNtProBnp,
                    diagnosedBy,
                    impressions,
                    plan
                );
                if (trigger == VisitTrigger.HfDiagnosis)
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
            var asks =
                author == CareRole.Physician
                    ? reason
                        is VisitReason.Symptoms
                            or VisitReason.HfFollowUp
                            or VisitReason.CopdExacerbation
                            or VisitReason.HfDiagnosis
                        ? 0.6
                        : reason == VisitReason.Acute
                            ? 0.05
                            : 0.3
                    : 0.3;
            foreach (var sign in AskedSigns)
            {
                if (
                    !present.Contains(sign)
                    && (author == CareRole.Physician || sign == Sign.AnkleOedema || sign == Sign.ExertionalDyspnoea)
                    && rng.Chance(asks)
                )
                {
                    denied.Add(sign);
                }
            }

            var hasOedema = present.Contains(Sign.AnkleOedema);
            visits.Add(
                new ClinicalVisit
                {
                    Ordinal = i,
                    Start = date.ToDateTime(VisitTime(rng)),
                    Author = author,
                    Reason = reason,
                    Acute = acute,
                    Vitals = vitals,
                    Labs = labs,
                    Present = present,
                    Denied = denied,
                    Crackles =
                        (severity > 0.45 && rng.Chance(0.55 * severity))
                        || (reason == VisitReason.CopdExacerbation && rng.Chance(0.3)),
                    IrregularPulse = person.Has(ConditionCategory.AtrialFibrillation),
                    JugularDistension = severity > 0.6 && rng.Chance(0.3),
                    PittingOedema = hasOedema && rng.Chance(severity > 0.3 ? 0.7 : 0.35),
                    WeightChangeKg = weightChange,
                    Impressions = impressions,
                    Plan = plan,
                    FollowUpWeeks = rng.Pick([2, 2, 3, 4, 4, 6, 8, 12, 12, 24]),
                    EchoLvef = echo,
                    WriteNote =
                        trigger == VisitTrigger.HfDiagnosis || rng.Chance(author == CareRole.Physician ? 0.9 : 0.75),
                }
            );
        }

        var coded = person.Comorbidities.Keys.ToDictionary(
            c => c,
            c =>
                rng.Chance(
                    c switch
                    {
                        ConditionCategory.Obesity => 0.55,
                        ConditionCategory.Copd => 0.8,
                        ConditionCategory.ChronicKidneyDisease => 0.7,
                        _ => 0.93,
                    }
                )
        );
        return new ClinicalHistory(
            person,
            visits,
            medications,
            conventions,
            coded,
            person.Anaemia && rng.Chance(0.5),
            person.VenousInsufficiency && rng.Chance(0.6)
        );
    }

    private static bool EchoAllowed(Person person) =>
        person.HfStatus switch
        {
            HfStatus.None => true,
            HfStatus.Undiagnosed => person.Phenotype == HfPhenotype.HFpEF,
            _ => false,
        };

    private static VisitReason ReasonFor(VisitTrigger trigger, Person person, SeededRandom rng)
    {
        switch (trigger)
        {
            case VisitTrigger.HfSymptoms:
            case VisitTrigger.HfWorkup:
                return VisitReason.Symptoms;
            case VisitTrigger.HfDiagnosis:
                return VisitReason.HfDiagnosis;
            case VisitTrigger.HfFollowUp:
                return VisitReason.HfFollowUp;
            case VisitTrigger.Exacerbation:
                return VisitReason.CopdExacerbation;
        }
        var weights = new[]
        {
            person.Comorbidities.Count > 0 ? 0.22 : 0.03,
            person.Has(ConditionCategory.Hypertension) ? 0.25 : 0.02,
            person.Has(ConditionCategory.Diabetes) ? 0.2 : 0,
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

    private static CareRole AuthorFor(VisitReason reason, SeededRandom rng) =>
        reason switch
        {
            VisitReason.BloodPressureCheck => rng.Chance(0.85) ? CareRole.Nurse : CareRole.Physician,
            VisitReason.DiabetesReview => rng.Chance(0.75) ? CareRole.Nurse : CareRole.Physician,
            VisitReason.HfFollowUp => rng.Chance(0.4) ? CareRole.Nurse : CareRole.Physician,
            VisitReason.ChronicReview => rng.Chance(0.3) ? CareRole.Nurse : CareRole.Physician,
            _ => CareRole.Physician,
        };

    private static TimeOnly VisitTime(SeededRandom rng) =>
        rng.Chance(0.7)
            ? new TimeOnly(8, 0).Add(TimeSpan.FromMinutes(5 * rng.Next(0, 78)))
            : new TimeOnly(15, 0).Add(TimeSpan.FromMinutes(5 * rng.Next(0, 60)));

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;
}
