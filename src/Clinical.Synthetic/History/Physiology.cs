using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic.History;

/// <summary>
/// Per-patient latent course: weight, blood pressure, natriuretic peptides, kidney function and
/// haemoglobin as functions of date, HF severity and treatment.
/// </summary>
internal sealed class Physiology
{
    private readonly Person _person;
    private readonly SeededRandom _rng;
    private readonly double _baseWeight;
    private readonly double _weightSlopePerYear;
    private readonly double _systolic;
    private readonly double _diastolic;
    private readonly double _heartRate;
    private readonly double _egfrAtAsOf;
    private readonly double _haemoglobin;
    private readonly double _ntProBnpFactor;
    private readonly double _ntProBnpHf;
    private readonly double _rampDays;
    private readonly DateOnly _asOf;

    public Physiology(Person person, SeededRandom rng, DateOnly asOf)
    {
        _person = person;
        _rng = rng;
        _asOf = asOf;
        _baseWeight = person.BaselineBmi * person.HeightM * person.HeightM;
        _weightSlopePerYear = rng.Normal(0.15, 0.7);
        var hypertensive = person.Has(ConditionCategory.Hypertension);
        _systolic = hypertensive ? rng.Normal(137, 8) : rng.Normal(116 + 0.35 * (person.AgeAtAsOf - 40), 8);
        _diastolic = hypertensive ? rng.Normal(81, 6) : rng.Normal(73 + 0.1 * (person.AgeAtAsOf - 40), 6);
        _heartRate = rng.Normal(72, 6);
        _egfrAtAsOf = person.Has(ConditionCategory.ChronicKidneyDisease)
            ? rng.Uniform(24, 58)
            : Math.Max(62, rng.Normal(108 - 0.8 * (person.AgeAtAsOf - 25), 9));
        _haemoglobin = person.Anaemia
            ? (person.Female ? rng.Uniform(9.4, 11.7) : rng.Uniform(9.8, 12.7))
            : (person.Female ? rng.Normal(13.6, 0.8) : rng.Normal(14.9, 0.9));
        if (person.Has(ConditionCategory.ChronicKidneyDisease))
        {
            _haemoglobin -= 0.5;
        }

        var factor = person.Female ? 1.3 : 1.0;
        if (person.Has(ConditionCategory.AtrialFibrillation))
        {
            factor *= 3.5;
        }
        if (person.Has(ConditionCategory.ChronicKidneyDisease))
        {
            factor *= _egfrAtAsOf < 45 ? 3.0 : 1.8;
        }
        if (person.Has(ConditionCategory.Obesity))
        {
            factor *= 0.7;
        }
        if (person.Anaemia)
        {
            factor *= 1.3;
        }
        if (person.Has(ConditionCategory.IschaemicHeartDisease))
        {
            factor *= 1.5;
        }
        _ntProBnpFactor = factor;
        var hfMedian = person.Phenotype switch
        {
            HfPhenotype.HFrEF => 2400,
            HfPhenotype.HFmrEF => 1500,
            _ => 900,
        };
        _ntProBnpHf = rng.LogNormal(hfMedian, 0.5) * Math.Sqrt(factor);
        _rampDays = rng.Uniform(300, 1200);
    }

    /// <summary>0 before HF onset; rises towards 1 until diagnosis; treated HF sits near 0.4.</summary>
    public double Severity(DateOnly date)
    {
        if (_person.HfOnset is not { } onset || date < onset)
        {
            return 0;
        }
        var sinceOnset = date.DayNumber - onset.DayNumber;
        if (_person.HfStatus == HfStatus.Diagnosed && _person.HfDiagnosis is { } dx)
        {
            if (date < dx)
            {
                var fraction = sinceOnset / (double)Math.Max(1, dx.DayNumber - onset.DayNumber);
                return 0.2 + 0.8 * Math.Pow(fraction, 1.3);
            }
            return date.DayNumber - dx.DayNumber < 45 ? 0.7 : 0.4;
        }
        return Math.Min(0.85, 0.15 + 0.85 * sinceOnset / _rampDays);
    }

    public double WeightKg(DateOnly date, double severity, bool onLoopDiuretic)
    {
        var years = (date.DayNumber - _asOf.DayNumber) / 365.25;
        var fluid = onLoopDiuretic ? 1.2 * severity : 4.5 * severity;
        return Math.Max(38, _baseWeight + _weightSlopePerYear * years + fluid + _rng.Normal(0, 0.6));
    }

    public Vitals Vitals(DateOnly date, double severity, double weightKg, bool betaBlocked, bool exacerbation)
    {
        var systolic = _systolic + _rng.Normal(0, 9) - (_person.Phenotype == HfPhenotype.HFrEF && betaBlocked ? 10 : 0);
        systolic = Math.Clamp(systolic, 85, 210);
        var diastolic = Math.Min(_diastolic + _rng.Normal(0, 6), systolic - 20);
        var heartRate = _heartRate + _rng.Normal(0, 6) + 8 * severity - (betaBlocked ? 8 : 0);
        if (_person.Has(ConditionCategory.AtrialFibrillation))
        {
            heartRate += Math.Abs(_rng.Normal(10, 14));
        }
        var saturation = 97.5 + _rng.Normal(0, 0.9);
        if (_person.Has(ConditionCategory.Copd))
        {
            saturation -= 2.5;
        }
        if (exacerbation)
        {
            saturation -= 3.5;
        }
        saturation -= severity > 0.6 ? 2 : 0;
        return new Vitals(
            Math.Round(weightKg, 1),
            Math.Round(weightKg / (_person.HeightM * _person.HeightM), 1),
            (int)Math.Round(Math.Clamp(systolic, 85, 210)),
            (int)Math.Round(Math.Clamp(diastolic, 45, 120)),
            (int)Math.Round(Math.Clamp(heartRate, 42, 150)),
            (int)Math.Round(Math.Clamp(saturation, 84, 100))
        );
    }

    public double NtProBnp(DateOnly date, double severity, bool treated)
    {
        var ageYears = _person.AgeAtAsOf - (_asOf.DayNumber - date.DayNumber) / 365.25;
        var baseline = 38 * Math.Exp(0.035 * (ageYears - 50)) * _ntProBnpFactor;
        var level = baseline;
        if (severity > 0 && _ntProBnpHf > baseline)
        {
            var effective = treated ? severity * 0.8 : severity;
            level = Math.Exp(Math.Log(baseline) + effective * (Math.Log(_ntProBnpHf) - Math.Log(baseline)));
        }
        return Math.Round(Math.Clamp(level * Math.Exp(_rng.Normal(0, 0.35)), 5, 35000));
    }

    public double Egfr(DateOnly date, bool onLoopDiuretic)
    {
        var years = (_asOf.DayNumber - date.DayNumber) / 365.25;
        var value =
            _egfrAtAsOf
            + years * (_person.Has(ConditionCategory.ChronicKidneyDisease) ? 1.5 : 0.8)
            - (onLoopDiuretic ? 4 : 0)
            + _rng.Normal(0, 4);
        return Math.Round(Math.Clamp(value, 8, 140));
    }

    /// <summary>Serum creatinine (mg/dL) that gives this eGFR by CKD-EPI 2021 (race-free).</summary>
    public double CreatinineFor(double egfr, DateOnly date)
    {
        var age = _person.AgeAtAsOf - (_asOf.DayNumber - date.DayNumber) / 365.25;
        var kappa = _person.Female ? 0.7 : 0.9;
        var alpha = _person.Female ? -0.241 : -0.302;
        var atKappa = 142 * Math.Pow(0.9938, age) * (_person.Female ? 1.012 : 1.0);
        var ratio = egfr / atKappa;
        var scaled = ratio <= 1 ? Math.Pow(ratio, -1 / 1.2) : Math.Pow(ratio, 1 / alpha);
        return Math.Round(kappa * scaled, 2);
    }

    public double Potassium(bool onMra, bool onLoopDiuretic)
    {
        var value =
            _rng.Normal(4.4, 0.33)
            + (_person.Has(ConditionCategory.ChronicKidneyDisease) ? 0.2 : 0)
            + (onMra ? 0.25 : 0)
            - (onLoopDiuretic ? 0.2 : 0);
        return Math.Round(Math.Clamp(value, 2.9, 6.4), 1);
    }

    public double Sodium(double severity, bool onLoopDiuretic)
    {
        var value = _rng.Normal(140, 2.1) - (onLoopDiuretic ? 1.5 : 0) - 2 * severity;
        return Math.Round(Math.Clamp(value, 124, 150));
    }

    public double Haemoglobin() => Math.Round(Math.Clamp(_haemoglobin + _rng.Normal(0, 0.4), 7, 18.5), 1);
}
