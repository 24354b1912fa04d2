using Hl7.Fhir.Model;

namespace Clinical.Synthetic.Resources;

/// <summary>Vital signs, laboratory results in each laboratory's units, and echocardiographic LVEF.</summary>
internal sealed partial class FhirResources
{
    private void AddVitals(ClinicalVisit visit, Vitals vitals, ResourceReference encounter)
    {
        var at = SpanishCalendar.FhirDateTime(visit.Start, _region);
        Add(Measurement(SyntheticCodes.BodyWeight, "vital-signs", vitals.WeightKg, "kg", "kg", at, encounter));
        if (_rng.Chance(0.7))
        {
            Add(Measurement(SyntheticCodes.BodyMassIndex, "vital-signs", vitals.Bmi, "kg/m2", "kg/m2", at, encounter));
        }
        Add(
            new Observation
            {
                Status = ObservationStatus.Final,
                Category = [Concept(SyntheticCodes.ObservationCategory, "vital-signs", "Vital Signs", null)],
                Code = Concept(SyntheticCodes.BloodPressurePanel),
                Subject = _patient,
                Encounter = encounter,
                Effective = new FhirDateTime(at),
                Component =
                [
                    new Observation.ComponentComponent
                    {
                        Code = Concept(SyntheticCodes.SystolicPressure),
                        Value = Ucum(vitals.Systolic, "mmHg", "mm[Hg]"),
                    },
                    new Observation.ComponentComponent
                    {
                        Code = Concept(SyntheticCodes.DiastolicPressure),
                        Value = Ucum(vitals.Diastolic, "mmHg", "mm[Hg]"),
                    },
                ],
            }
        );
        Add(Measurement(SyntheticCodes.HeartRate, "vital-signs", vitals.HeartRate, "/min", "/min", at, encounter));
    }

    private Observation LabResource(LabResult lab, ResourceReference encounter)
    {
        var conventions = _history.Labs;
        var at = SpanishCalendar.FhirDateTime(lab.Drawn, _region);
        return lab.Test switch
        {
            LabTest.NtProBnp when conventions.NtProBnpInPmol => Measurement(
                _rng.Chance(0.5) ? SyntheticCodes.NtProBnpMoles : SyntheticCodes.NtProBnp,
                "laboratory",
                Math.Round(lab.Value / 8.457, 1),
                "pmol/L",
                "pmol/L",
                at,
                encounter
            ),
            LabTest.NtProBnp when conventions.NtProBnpInNgPerL => Measurement(
                SyntheticCodes.NtProBnp,
                "laboratory",
                lab.Value,
                "ng/L",
                "ng/L",
                at,
                encounter
            ),
            LabTest.NtProBnp => Measurement(
                SyntheticCodes.NtProBnp,
                "laboratory",
                lab.Value,
                "pg/mL",
                "pg/mL",
                at,
                encounter
            ),
            LabTest.Bnp => Measurement(SyntheticCodes.Bnp, "laboratory", lab.Value, "pg/mL", "pg/mL", at, encounter),
            LabTest.Egfr => Measurement(
                conventions.EgfrByCkdEpi ? SyntheticCodes.EgfrCkdEpi : SyntheticCodes.EgfrMdrd,
                "laboratory",
                lab.Value,
                "mL/min/1.73m2",
                "mL/min/{1.73_m2}",
                at,
                encounter
            ),
            LabTest.Creatinine when conventions.CreatinineInMicromol => Measurement(
                SyntheticCodes.Creatinine,
                "laboratory",
                Math.Round(lab.Value * 88.42),
                "µmol/L",
                "umol/L",
                at,
                encounter
            ),
            LabTest.Creatinine => Measurement(
                SyntheticCodes.Creatinine,
                "laboratory",
                lab.Value,
                "mg/dL",
                "mg/dL",
                at,
                encounter
            ),
            LabTest.Potassium => Measurement(
                SyntheticCodes.Potassium,
                "laboratory",
                lab.Value,
                "mmol/L",
                "mmol/L",
                at,
                encounter
            ),
            LabTest.Sodium => Measurement(
                SyntheticCodes.Sodium,
                "laboratory",
                lab.Value,
                "mmol/L",
                "mmol/L",
                at,
                encounter
            ),
            LabTest.Haemoglobin => Measurement(
                SyntheticCodes.Haemoglobin,
                "laboratory",
                lab.Value,
                "g/dL",
                "g/dL",
                at,
                encounter
            ),
            _ => throw new ArgumentOutOfRangeException(nameof(lab), lab.Test, null),
        };
    }

    private Observation EchoResource(ClinicalVisit visit, double lvef, ResourceReference encounter)
    {
        var code = _rng.Chance(0.6) ? SyntheticCodes.LvefGeneric : SyntheticCodes.LvefByEcho;
        var at = SpanishCalendar.FhirDateTime(visit.Start.AddDays(-_rng.Next(0, 10)), _region);
        return Measurement(code, "imaging", lvef, "%", "%", at, encounter);
    }

    private Observation Measurement(
        SyntheticCodes.Code code,
        string category,
        double value,
        string unit,
        string ucum,
        string at,
        ResourceReference encounter
    ) =>
        new()
        {
            Status = ObservationStatus.Final,
            Category = [Concept(SyntheticCodes.ObservationCategory, category, CategoryDisplay(category), null)],
            Code = Concept(code),
            Subject = _patient,
            Encounter = encounter,
            Effective = new FhirDateTime(at),
            Value = Ucum(value, unit, ucum),
        };

    private static string CategoryDisplay(string category) =>
        category switch
        {
            "vital-signs" => "Vital Signs",
            "laboratory" => "Laboratory",
            _ => "Imaging",
        };

    private static Quantity Ucum(double value, string unit, string code) =>
        new()
        {
            Value = (decimal)value,
            Unit = unit,
            System = SyntheticCodes.Ucum,
            Code = code,
        };
}
