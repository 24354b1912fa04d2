using System.Globalization;
using System.Text;

namespace Clinical.Synthetic.Notes;

/// <summary>
/// Composes a primary-care progress note for one visit from a language's <see cref="NoteVocabulary"/>:
/// reason, history, complaints and denials, vitals, exam, labs, impression with hedges, and plan,
/// in one of three layouts, then passes it through <see cref="NoteNoise"/>.
/// </summary>
internal static class NoteWriter
{
    private static readonly Sign[] MainComplaintOrder =
    [
        Sign.ExertionalDyspnoea,
        Sign.AnkleOedema,
        Sign.Orthopnoea,
        Sign.Fatigue,
        Sign.WeightGain,
        Sign.Palpitations,
        Sign.Cough,
        Sign.Nocturia,
        Sign.NocturnalDyspnoea,
        Sign.Wheeze,
    ];

    public static string Compose(ClinicalHistory history, ClinicalVisit visit, NoteLanguage language, SeededRandom rng)
    {
        var v = NoteVocabulary.For(language);
        var physician = visit.Author == CareRole.Physician;
        var subjective = Subjective(history, visit, v, rng, physician);
        var objective = Objective(history, visit, v, rng, physician);
        var assessment = Assessment(history, visit, v, rng);
        var plan = Plan(visit, v, rng, physician);

        var layout = rng.PickWeighted([0.45, 0.3, 0.25]);
        var sections = new (string[] Labels, List<string> Sentences)[]
        {
            (v.SubjectiveLabel, subjective),
            (v.ObjectiveLabel, objective),
            (v.AssessmentLabel, assessment),
            (v.PlanLabel, plan),
        };
        var text = new StringBuilder();
        foreach (var (labels, sentences) in sections)
        {
            if (sentences.Count == 0)
            {
                continue;
            }
            var body = string.Join(" ", sentences);
            switch (layout)
            {
                case 0:
                    text.Append(text.Length > 0 ? " " : string.Empty).Append(body);
                    break;
                case 1:
                    text.Append(text.Length > 0 ? "\n" : string.Empty)
                        .Append(rng.Pick(labels))
                        .Append(' ')
                        .Append(body);
                    break;
                default:
                    text.Append(text.Length > 0 ? "\n" : string.Empty).Append(body);
                    break;
            }
        }
        return NoteNoise.Apply(text.ToString(), rng);
    }

    private static List<string> Subjective(
        ClinicalHistory history,
        ClinicalVisit visit,
        NoteVocabulary v,
        SeededRandom rng,
        bool physician
    )
    {
        var person = history.Person;
        var sentences = new List<string>();
        Sign? main = MainComplaintOrder.Where(s => visit.Present.Contains(s)).Select(s => (Sign?)s).FirstOrDefault();
        sentences.Add(Reason(visit, v, rng, main));

        var heartFailureRelated =
            visit.Reason is VisitReason.Symptoms or VisitReason.HfDiagnosis or VisitReason.HfFollowUp;
        if (physician && rng.Chance(heartFailureRelated ? 0.6 : 0.3))
        {
            var terms = new List<string>();
            foreach (var comorbidity in person.Comorbidities.Keys)
            {
                if (rng.Chance(0.85))
                {
                    terms.Add(rng.Pick(v.ComorbidityTerms[comorbidity]));
                }
            }
            if (person.Anaemia && rng.Chance(0.5))
            {
                terms.Add(rng.Pick(v.AnaemiaTerms));
            }
            if (person.VenousInsufficiency && rng.Chance(0.5))
            {
                terms.Add(rng.Pick(v.VenousTerms));
            }
            if (person.HfStatus == HfStatus.Diagnosed && person.HfDiagnosis < DateOnly.FromDateTime(visit.Start))
            {
                terms.Insert(0, Format(rng.Pick(v.KnownHfTerms), Number(person.Lvef ?? 0, 0)));
            }
            if (terms.Count > 0)
            {
                rng.Shuffle(terms);
                sentences.Add(rng.Pick(v.HistoryLabel) + " " + string.Join(", ", terms) + ".");
            }
        }

        var complaints = visit
            .Present.Where(s => s != main || rng.Chance(0.3))
            .Select(s => rng.Pick(v.SignPresent[s]))
            .ToList();
        if (complaints.Count > 0)
        {
            rng.Shuffle(complaints);
            sentences.Add(
                rng.Chance(0.5)
                    ? rng.Pick(v.Reports) + " " + JoinList(complaints, v, rng) + "."
                    : string.Join(". ", complaints.Select(Capitalise)) + "."
            );
        }
        if (visit.WeightChangeKg >= 2 && rng.Chance(0.7))
        {
            sentences.Add(Format(rng.Pick(v.WeightGained), Number(visit.WeightChangeKg, 1)));
        }
        var denials = visit.Denied.Select(s => rng.Pick(v.SignDenied[s])).ToList();
        if (denials.Count > 0)
        {
            rng.Shuffle(denials);
            sentences.Add(Capitalise(string.Join(rng.Chance(0.6) ? ", " : ". ", denials)) + ".");
        }
        if (
            visit.Present.Count == 0
            && visit.Reason is not VisitReason.Acute and not VisitReason.Symptoms
            && rng.Chance(0.5)
        )
        {
            sentences.Add(rng.Pick(v.WellBeing));
        }
        if (!physician && rng.Chance(0.6))
        {
            sentences.Add(rng.Pick(v.NurseAdherence));
        }
        return sentences;
    }

    private static string Reason(ClinicalVisit visit, NoteVocabulary v, SeededRandom rng, Sign? main)
    {
        var duration = Duration(v, rng);
        return visit.Reason switch
        {
            VisitReason.Symptoms when main is { } sign => Format(
                rng.Pick(v.ReasonSymptoms),
                rng.Pick(v.SymptomNoun[sign]),
                duration
            ),
            VisitReason.Symptoms => rng.Pick(v.ReasonChronic),
            VisitReason.Acute => Format(
                rng.Pick(v.ReasonAcute[visit.Acute ?? AcuteProblem.UpperRespiratoryInfection]),
                duration
            ),
            VisitReason.BloodPressureCheck => rng.Pick(v.ReasonBloodPressure),
            VisitReason.DiabetesReview => rng.Pick(v.ReasonDiabetes),
            VisitReason.LabReview => rng.Pick(v.ReasonLabs),
            VisitReason.CopdExacerbation => rng.Pick(v.ReasonExacerbation),
            VisitReason.HfDiagnosis => rng.Pick(v.ReasonHfDiagnosis),
            VisitReason.HfFollowUp => rng.Pick(v.ReasonHfFollowUp),
            VisitReason.Prescription => rng.Pick(v.ReasonPrescription),
            _ => rng.Pick(v.ReasonChronic),
        };
    }

    private static string Duration(NoteVocabulary v, SeededRandom rng) =>
        rng.Next(0, 3) switch
        {
            0 => Format(rng.Pick(v.DurationDays), rng.Next(2, 11).ToString(CultureInfo.InvariantCulture)),
            1 => Format(rng.Pick(v.DurationWeeks), rng.Next(2, 7).ToString(CultureInfo.InvariantCulture)),
            _ => Format(rng.Pick(v.DurationMonths), rng.Next(2, 7).ToString(CultureInfo.InvariantCulture)),
        };

    private static List<string> Objective(
        ClinicalHistory history,
        ClinicalVisit visit,
        NoteVocabulary v,
        SeededRandom rng,
        bool physician
    )
    {
        var sentences = new List<string>();
        if (visit.Vitals is { } vitals)
        {
            var parts = new List<string>();
            var mmHg = rng.Chance(0.25) ? " mmHg" : string.Empty;
            var colon = rng.Chance(0.3) ? ": " : " ";
            parts.Add(
                rng.Pick(v.BloodPressureLabel).TrimEnd(':')
                    + colon
                    + vitals.Systolic.ToString(CultureInfo.InvariantCulture)
                    + "/"
                    + vitals.Diastolic.ToString(CultureInfo.InvariantCulture)
                    + mmHg
            );
            if (rng.Chance(0.8))
            {
                parts.Add(
                    "FC"
                        + colon
                        + vitals.HeartRate.ToString(CultureInfo.InvariantCulture)
                        + (rng.Chance(0.3) ? " lpm" : string.Empty)
                );
            }
            if (rng.Chance(physician ? 0.5 : 0.3))
            {
                parts.Add(
                    (rng.Chance(0.7) ? "SatO2" : "Sat")
                        + colon
                        + vitals.OxygenSaturation.ToString(CultureInfo.InvariantCulture)
                        + "%"
                );
            }
            if (rng.Chance(0.85))
            {
                parts.Add(
                    rng.Pick(v.WeightLabel).TrimEnd(':')
                        + colon
                        + Number(vitals.WeightKg, 1)
                        + (rng.Chance(0.8) ? " kg" : string.Empty)
                );
            }
            if (rng.Chance(0.3))
            {
                parts.Add(rng.Pick(v.BmiLabel) + colon + Number(vitals.Bmi, 1));
            }
            sentences.Add(string.Join(rng.Pick([", ", ". ", " - ", "; "]), parts) + ".");
        }

        var examine =
            physician
            && visit.Reason switch
            {
                VisitReason.Symptoms
                or VisitReason.HfDiagnosis
                or VisitReason.HfFollowUp
                or VisitReason.CopdExacerbation => rng.Chance(0.9),
                VisitReason.ChronicReview => rng.Chance(0.4),
                VisitReason.LabReview => rng.Chance(0.2),
                _ => rng.Chance(0.05),
            };
        if (examine)
        {
            var findings = new List<string> { rng.Pick(visit.IrregularPulse ? v.HeartIrregular : v.HeartRegular) };
            var wheeze = visit.Present.Contains(Sign.Wheeze);
            findings.Add(
                rng.Pick(
                    visit.Crackles ? v.LungsCrackles
                    : wheeze ? v.LungsWheeze
                    : v.LungsClear
                )
            );
            if (visit.Present.Contains(Sign.AnkleOedema))
            {
                findings.Add(rng.Pick(visit.PittingOedema ? v.OedemaPitting : v.OedemaNonPitting));
            }
            else if (rng.Chance(0.7))
            {
                findings.Add(rng.Pick(v.NoOedema));
            }
            if (visit.JugularDistension)
            {
                findings.Add(rng.Pick(v.JugularDistension));
            }
            sentences.Add(rng.Pick(v.ExamLabel) + " " + string.Join(rng.Chance(0.5) ? ". " : ", ", findings) + ".");
        }

        if (visit.Labs.Count > 0 && (physician || rng.Chance(0.3)))
        {
            var results = new List<string>();
            foreach (var lab in visit.Labs)
            {
                var always = lab.Test is LabTest.NtProBnp or LabTest.Bnp;
                if (always || rng.Chance(0.6))
                {
                    results.Add(LabText(lab, history.Labs, v, rng));
                }
            }
            if (results.Count > 0)
            {
                sentences.Add(rng.Pick(v.LabsLabel) + " " + string.Join(", ", results) + ".");
            }
        }
        if (visit.EchoLvef is { } lvef)
        {
            sentences.Add(Format(rng.Pick(v.EchoResult), Number(lvef, 0)));
        }
        return sentences;
    }

    private static string LabText(LabResult lab, LabConventions conventions, NoteVocabulary v, SeededRandom rng)
    {
        var unit = rng.Chance(0.5);
        return lab.Test switch
        {
            LabTest.NtProBnp when conventions.NtProBnpInPmol => "NT-proBNP " + Number(lab.Value / 8.457, 1) + " pmol/l",
            LabTest.NtProBnp => (rng.Chance(0.8) ? "NT-proBNP " : "proBNP ")
                + Thousands(lab.Value, rng)
                + (
                    unit
                        ? conventions.NtProBnpInNgPerL
                            ? " ng/l"
                            : " pg/ml"
                        : string.Empty
                ),
            LabTest.Bnp => "BNP " + Thousands(lab.Value, rng) + (unit ? " pg/ml" : string.Empty),
            LabTest.Egfr => rng.Pick(v.EgfrLabel)
                + " "
                + Number(lab.Value, 0)
                + (
                    lab.Value >= 90 && rng.Chance(0.5) ? string.Empty
                    : unit ? " ml/min"
                    : string.Empty
                ),
            LabTest.Creatinine when conventions.CreatinineInMicromol => "Cr "
                + Number(Math.Round(lab.Value * 88.42), 0)
                + (unit ? " µmol/l" : string.Empty),
            LabTest.Creatinine => (rng.Chance(0.5) ? "Cr " : "creat ")
                + Number(lab.Value, 2)
                + (unit ? " mg/dl" : string.Empty),
            LabTest.Potassium => "K " + Number(lab.Value, 1),
            LabTest.Sodium => "Na " + Number(lab.Value, 0),
            LabTest.Haemoglobin => "Hb " + Number(lab.Value, 1) + (unit ? " g/dl" : string.Empty),
            _ => string.Empty,
        };
    }

    private static List<string> Assessment(
        ClinicalHistory history,
        ClinicalVisit visit,
        NoteVocabulary v,
        SeededRandom rng
    )
    {
        var sentences = new List<string>();
        var peptide = visit.Labs.FirstOrDefault(l => l.Test is LabTest.NtProBnp or LabTest.Bnp);
        var raised = peptide is { Test: LabTest.NtProBnp, Value: >= 125 } or { Test: LabTest.Bnp, Value: >= 35 };
        foreach (var impression in visit.Impressions)
        {
            var template = impression switch
            {
                Impression.AfControl when raised => rng.Pick(v.RaisedPeptideWithAf),
                Impression.CkdFollowUp when raised => rng.Pick(v.RaisedPeptideWithCkd),
                _ => rng.Pick(v.Impressions[impression]),
            };
            var phenotype = history.Person.Phenotype is { } p ? rng.Pick(v.PhenotypeTerms[p]) : string.Empty;
            var argument = impression is Impression.AfControl or Impression.CkdFollowUp
                ? (peptide?.Test == LabTest.Bnp ? "BNP" : "NT-proBNP")
                : Number(history.Person.Lvef ?? 0, 0);
            sentences.Add(Format(template, argument, phenotype));
        }
        return sentences;
    }

    private static List<string> Plan(ClinicalVisit visit, NoteVocabulary v, SeededRandom rng, bool physician)
    {
        var sentences = visit
            .Plan.Select(item =>
                Format(rng.Pick(v.Plans[item]), visit.FollowUpWeeks.ToString(CultureInfo.InvariantCulture))
            )
            .ToList();
        if (!physician)
        {
            if (visit.Present.Count > 0 && rng.Chance(0.6))
            {
                sentences.Add(rng.Pick(v.NurseRefers));
            }
            if (rng.Chance(0.4))
            {
                sentences.Add(rng.Pick(v.NurseAdvice));
            }
            if (rng.Chance(0.5))
            {
                sentences.Add(Format(rng.Pick(v.NurseNextVisit), rng.Pick(["3", "3", "6", "4"])));
            }
        }
        return sentences;
    }

    private static string JoinList(List<string> items, NoteVocabulary v, SeededRandom rng) =>
        items.Count == 1 || rng.Chance(0.4)
            ? string.Join(", ", items)
            : string.Join(", ", items.Take(items.Count - 1)) + " " + v.And + " " + items[^1];

    private static string Capitalise(string text) =>
        text.Length == 0 || !char.IsLetter(text[0]) || char.IsUpper(text[0])
            ? text
            : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Format(string template, params object[] values) =>
        string.Format(CultureInfo.InvariantCulture, template, values);

    /// <summary>Decimal comma, as written in Spanish, Catalan, Galician and Basque.</summary>
    internal static string Number(double value, int decimals) =>
        Math.Round(value, decimals)
            .ToString(decimals == 0 ? "0" : "0." + new string('#', decimals), CultureInfo.InvariantCulture)
            .Replace('.', ',');

    private static string Thousands(double value, SeededRandom rng) =>
        value >= 1000 && rng.Chance(0.5)
            ? Math.Round(value).ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.')
            : Number(value, 0);
}
