using Clinical.Fhir.Terminology;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Extraction;

/// <summary>Observation → measurements, one per value (a BP panel gives systolic and diastolic).</summary>
internal static class MeasurementExtractor
{
    private static readonly Dictionary<string, MeasurementKind> ByLoinc = new(StringComparer.Ordinal)
    {
        [Loinc.NtProBnp] = MeasurementKind.NtProBnp,
        [Loinc.NtProBnpAlternative] = MeasurementKind.NtProBnp,
        [Loinc.Bnp] = MeasurementKind.Bnp,
        [Loinc.LvefEcho] = MeasurementKind.Lvef,
        [Loinc.LvefByEcho] = MeasurementKind.Lvef,
        [Loinc.LvefGeneral] = MeasurementKind.Lvef,
        [Loinc.BodyWeight] = MeasurementKind.BodyWeight,
        [Loinc.Bmi] = MeasurementKind.Bmi,
        [Loinc.SystolicBp] = MeasurementKind.SystolicBp,
        [Loinc.DiastolicBp] = MeasurementKind.DiastolicBp,
        [Loinc.HeartRate] = MeasurementKind.HeartRate,
        [Loinc.EgfrCkdEpi] = MeasurementKind.Egfr,
        [Loinc.EgfrMdrd] = MeasurementKind.Egfr,
        [Loinc.EgfrCkdEpi2021] = MeasurementKind.Egfr,
        [Loinc.Creatinine] = MeasurementKind.Creatinine,
        [Loinc.Potassium] = MeasurementKind.Potassium,
        [Loinc.Sodium] = MeasurementKind.Sodium,
        [Loinc.Haemoglobin] = MeasurementKind.Haemoglobin,
    };

    public static IEnumerable<Measurement> Extract(Observation observation, string source, List<string> problems)
    {
        if (observation.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled)
            yield break;
        var when = FhirDates.Of(observation.Effective) ?? FhirDates.Parse(observation.Issued?.ToString());

        if (observation.Value is Quantity quantity && KindOf(observation.Code) is var (kind, code))
        {
            if (Normalise(kind, quantity, source, problems) is { } value)
                yield return new Measurement(
                    kind,
                    value.Value,
                    value.Unit,
                    Comparator(quantity),
                    when,
                    source,
                    code,
                    quantity.Value ?? 0,
                    quantity.Unit ?? quantity.Code
                );
        }
        foreach (var component in observation.Component)
        {
            if (
                component.Value is Quantity part
                && KindOf(component.Code) is var (partKind, partCode)
                && Normalise(partKind, part, source, problems) is { } value
            )
            {
                yield return new Measurement(
                    partKind,
                    value.Value,
                    value.Unit,
                    Comparator(part),
                    when,
                    source,
                    partCode,
                    part.Value ?? 0,
                    part.Unit ?? part.Code
                );
            }
        }
    }

    private static (MeasurementKind Kind, string Code)? KindOf(CodeableConcept? concept)
    {
        foreach (var coding in concept?.Coding ?? [])
        {
            if (coding.System == Loinc.System && coding.Code is { } code && ByLoinc.TryGetValue(code, out var kind))
                return (kind, code);
        }
        return null;
    }

    private static string? Comparator(Quantity quantity) =>
        quantity.Comparator is { } comparator ? Hl7.Fhir.Utility.EnumUtility.GetLiteral(comparator) : null;

    private static (decimal Value, string Unit)? Normalise(
        MeasurementKind kind,
        Quantity quantity,
        string source,
        List<string> problems
    )
    {
        if (quantity.Value is not { } value)
            return null;
        var unit = (quantity.Code ?? quantity.Unit ?? "").Trim();
        if (unit.Length == 0 && Plausibility.RequiresUnit(kind))
        {
            problems.Add(Plausibility.MissingUnit(source, kind, value));
            return null;
        }
        var lower = unit.ToLowerInvariant()
            .Replace("µ", "u", StringComparison.Ordinal)
            .Replace("μ", "u", StringComparison.Ordinal);
        (decimal, string)? result = kind switch
        {
            MeasurementKind.NtProBnp => lower switch
            {
                "pg/ml" or "ng/l" => (value, "pg/mL"),
                "pmol/l" => (Math.Round(value * 8.457m, 1), "pg/mL"),
                _ => null,
            },
            MeasurementKind.Bnp => lower switch
            {
                "pg/ml" or "ng/l" => (value, "pg/mL"),
                "pmol/l" => (Math.Round(value * 3.467m, 1), "pg/mL"), // BNP-32 molar mass 3464.5 g/mol
                _ => null,
            },
            MeasurementKind.Lvef => lower is "%" or "" ? (value, "%") : null,
            MeasurementKind.BodyWeight => lower switch
            {
                "kg" or "" => (value, "kg"),
                "g" => (value / 1000m, "kg"),
                "[lb_av]" or "lb" or "lbs" => (Math.Round(value * 0.45359237m, 2), "kg"),
                _ => null,
            },
            MeasurementKind.Bmi => lower is "kg/m2" or "kg/m^2" or "" ? (value, "kg/m2") : null,
            MeasurementKind.SystolicBp or MeasurementKind.DiastolicBp => lower is "mm[hg]" or "mmhg" or ""
                ? (value, "mmHg")
                : null,
            MeasurementKind.HeartRate => lower is "/min" or "{beats}/min" or "{beat}/min" or "bpm" or ""
                ? (value, "/min")
                : null,
            MeasurementKind.Egfr => lower.StartsWith("ml/min", StringComparison.Ordinal) || lower == ""
                ? (value, "mL/min/1.73m2")
                : null,
            MeasurementKind.Creatinine => lower switch
            {
                "mg/dl" or "" => (value, "mg/dL"),
                "umol/l" => (Math.Round(value / 88.42m, 2), "mg/dL"),
                _ => null,
            },
            MeasurementKind.Potassium or MeasurementKind.Sodium => lower is "mmol/l" or "meq/l" or ""
                ? (value, "mmol/L")
                : null,
            MeasurementKind.Haemoglobin => lower switch
            {
                "g/dl" or "" => (value, "g/dL"),
                "g/l" => (value / 10m, "g/dL"),
                "mmol/l" => (Math.Round(value * 1.611m, 1), "g/dL"),
                _ => null,
            },
            _ => null,
        };
        if (result is null)
            problems.Add($"{source}: unit '{unit}' is not understood for {kind}; the value was not used.");
        return result;
    }
}
