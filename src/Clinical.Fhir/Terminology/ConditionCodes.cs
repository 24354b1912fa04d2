using Clinical.Fhir.Extraction;

namespace Clinical.Fhir.Terminology;

/// <summary>Code sets for HF and the comorbidities that matter for it, in SNOMED CT and ICD-10 / CIE-10-ES.</summary>
public static class ConditionCodes
{
    private static readonly (ConditionCategory Category, string[] IcdPrefixes, string[] Snomed)[] Comorbidities =
    [
        (
            ConditionCategory.Hypertension,
            ["I10", "I11", "I12", "I13", "I15"],
            ["38341003", "59621000", "10725009", "1201005"]
        ),
        (ConditionCategory.AtrialFibrillation, ["I48"], ["49436004", "440028005", "282825002", "5370000"]),
        (ConditionCategory.Diabetes, ["E10", "E11", "E13", "E14"], ["44054006", "73211009", "46635009", "190330002"]),
        (
            ConditionCategory.ChronicKidneyDisease,
            ["N18"],
            ["709044004", "431855005", "431856006", "433144002", "431857002", "433146000", "46177005"]
        ),
        (
            ConditionCategory.IschaemicHeartDisease,
            ["I20", "I21", "I22", "I23", "I24", "I25"],
            ["414545008", "53741008", "22298006", "399211009", "194828000", "401303003", "401314000"]
        ),
        (ConditionCategory.Copd, ["J44"], ["13645005", "185086009", "195951007"]),
        (ConditionCategory.Obesity, ["E66"], ["414916001", "162864005", "408512008", "238136002"]),
        (
            ConditionCategory.ValveDisease,
            ["I05", "I06", "I07", "I08", "I34", "I35", "I36", "I37"],
            ["368009", "60573004", "48724000", "79619009", "8722008"]
        ),
        (
            ConditionCategory.Anaemia,
            ["D50", "D51", "D52", "D53", "D55", "D61", "D62", "D63", "D64"],
            ["271737000", "87522002", "234347009"]
        ),
    ];

    public static ConditionCategory? Categorise(string? system, string? code)
    {
        if (string.IsNullOrEmpty(code))
            return null;
        if (system == Snomed.System)
        {
            if (Snomed.HeartFailureConcepts.Contains(code))
                return ConditionCategory.HeartFailure;
            foreach (var (category, _, snomed) in Comorbidities)
                if (snomed.Contains(code, StringComparer.Ordinal))
                    return category;
            return null;
        }
        if (system is not null && Icd10.Systems.Contains(system))
        {
            if (Icd10.IsHeartFailure(code))
                return ConditionCategory.HeartFailure;
            var normalized = code.Replace(".", "", StringComparison.Ordinal).ToUpperInvariant();
            foreach (var (category, prefixes, _) in Comorbidities)
                if (prefixes.Any(p => normalized.StartsWith(p, StringComparison.Ordinal)))
                    return category;
        }
        return null;
    }
}
