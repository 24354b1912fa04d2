using Clinical.Models.Language;
using Clinical.Models.Scoring;
using Clinical.Models.Scoring.Evidence;

namespace Clinical.Models.Tabular;

/// <summary>
/// The structured-data features of a patient at the as-of date, in a fixed order that the model card
/// records as its schema. Missing values are 0 with a missing indicator; peptides are log(1 + pg/mL).
/// </summary>
public static class TabularFeatures
{
    public const int Count = 69;

    public static readonly IReadOnlyList<string> Names = BuildNames();

    public static float[] Build(RiskInput input, GuidelineEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(evidence);
        var values = new List<float>(Count)
        {
            input.AgeYears ?? 0,
            input.AgeYears is null ? 1 : 0,
            input.Sex == PatientSex.Male ? 1 : 0,
            input.Sex == PatientSex.Female ? 1 : 0,
        };
        foreach (var comorbidity in Enum.GetValues<Comorbidity>())
            values.Add(input.Has(comorbidity) ? 1 : 0);
        foreach (var treatment in Enum.GetValues<Treatment>())
            values.Add(input.Takes(treatment) ? 1 : 0);
        foreach (var kind in Enum.GetValues<PeptideKind>())
        {
            var results = input
                .Peptides.Where(p => p.Kind == kind)
                .OrderByDescending(p => p.When ?? DateTimeOffset.MinValue)
                .ToList();
            values.Add(results.Count == 0 ? 0 : (float)Math.Log(1 + results[0].ValuePgMl));
            values.Add(results.Count == 0 ? 0 : (float)Math.Log(1 + results.Max(p => p.ValuePgMl)));
            values.Add(results.Count == 0 ? 1 : 0);
            values.Add(
                results.Count == 0 || results[0].When is not { } when
                    ? 0
                    : (float)((input.AsOf.DayNumber - CalendarDay.Of(when).DayNumber) / 30.44)
            );
            values.Add(results.Count);
        }
        foreach (
            var kind in new[]
            {
                VitalKind.Lvef,
                VitalKind.Bmi,
                VitalKind.SystolicBp,
                VitalKind.DiastolicBp,
                VitalKind.HeartRate,
                VitalKind.Egfr,
                VitalKind.Haemoglobin,
            }
        )
        {
            var latest = input.Latest(kind);
            values.Add(latest is null ? 0 : (float)latest.Value);
            values.Add(latest is null ? 1 : 0);
        }
        values.Add(WeightChange(input));
        foreach (var sign in ClinicalConcepts.ScoredSigns)
        {
            values.Add(evidence.Signs.NotesWith(sign, Assertion.Affirmed));
            values.Add(evidence.Signs.NotesWith(sign, Assertion.Negated));
        }
        values.Add(evidence.Signs.Notes.Sum(n => n.Mentions.Count(m => m.Assertion == Assertion.Hedged)));
        values.Add(evidence.Signs.Notes.Count);
        values.Add(evidence.H2Fpef.Points);
        if (values.Count != Count)
            throw new InvalidOperationException($"Built {values.Count} features, schema has {Count}.");
        return values.ToArray();
    }

    private static float WeightChange(RiskInput input)
    {
        var weights = input
            .Vitals.Where(v => v.Kind == VitalKind.BodyWeight && v.When is not null)
            .OrderBy(v => v.When)
            .ToList();
        return weights.Count < 2 ? 0 : (float)(weights[^1].Value - weights[^2].Value);
    }

    private static string[] BuildNames()
    {
        var names = new List<string> { "age", "age_missing", "sex_male", "sex_female" };
        names.AddRange(Enum.GetValues<Comorbidity>().Select(c => $"dx_{c}"));
        names.AddRange(Enum.GetValues<Treatment>().Select(t => $"rx_{t}"));
        foreach (var kind in Enum.GetValues<PeptideKind>())
            names.AddRange([
                $"{kind}_latest_log",
                $"{kind}_max_log",
                $"{kind}_missing",
                $"{kind}_months_since",
                $"{kind}_count",
            ]);
        foreach (
            var kind in new[]
            {
                VitalKind.Lvef,
                VitalKind.Bmi,
                VitalKind.SystolicBp,
                VitalKind.DiastolicBp,
                VitalKind.HeartRate,
                VitalKind.Egfr,
                VitalKind.Haemoglobin,
            }
        )
            names.AddRange([$"{kind}_latest", $"{kind}_missing"]);
        names.Add("weight_change_kg");
        foreach (var sign in ClinicalConcepts.ScoredSigns)
            names.AddRange([$"notes_{sign}_present", $"notes_{sign}_negated"]);
        names.AddRange(["hedged_mentions", "notes_recent", "h2fpef_points"]);
        return names.ToArray();
    }
}
