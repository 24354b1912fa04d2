using Clinical.Fhir.Extraction;

namespace Clinical.Fhir.Terminology;

/// <summary>
/// Drug classes that matter for HF, by ATC (Spanish primary care), RxNorm ingredient (US data) and,
/// for RxNorm clinical drugs (SCD codes) or free text, by ingredient name in English or Spanish.
/// </summary>
public static class DrugCodes
{
    public const string AtcSystem = "http://www.whocc.no/atc";
    public const string RxNormSystem = "http://www.nlm.nih.gov/research/umls/rxnorm";

    private static readonly (DrugClass Class, string[] AtcPrefixes, string[] RxNorm, string[] Names)[] Classes =
    [
        (
            DrugClass.SacubitrilValsartan,
            ["C09DX04"],
            ["1656339", "1656328", "1656340", "1656349", "1656354"],
            ["sacubitril"]
        ),
        (
            DrugClass.LoopDiuretic,
            ["C03CA", "C03EB"],
            ["4603", "38413", "1808"],
            ["furosemide", "furosemida", "torsemide", "torasemide", "torasemida", "bumetanide", "bumetanida"]
        ),
        (
            DrugClass.MineralocorticoidAntagonist,
            ["C03DA"],
            ["9997", "298869", "2562811"],
            ["spironolactone", "espironolactona", "eplerenone", "eplerenona", "finerenone", "finerenona"]
        ),
        (
            DrugClass.Sglt2Inhibitor,
            ["A10BK", "A10BD15", "A10BD19", "A10BD20"],
            ["1488564", "1545653", "1373458", "1992672"],
            [
                "dapagliflozin",
                "dapagliflozina",
                "empagliflozin",
                "empagliflozina",
                "canagliflozin",
                "canagliflozina",
                "ertugliflozin",
            ]
        ),
        (
            DrugClass.HeartFailureBetaBlocker,
            ["C07AB07", "C07AG02", "C07AB12", "C07AB02"],
            ["19484", "20352", "6918", "31555"],
            ["bisoprolol", "carvedilol", "nebivolol", "metoprolol"]
        ),
        (
            DrugClass.AceInhibitor,
            ["C09A", "C09B"],
            ["29046", "3827", "35296", "1998", "35208", "54552"],
            ["lisinopril", "enalapril", "ramipril", "captopril", "quinapril", "perindopril", "trandolapril"]
        ),
        (
            DrugClass.AngiotensinReceptorBlocker,
            ["C09C", "C09DA", "C09DB"],
            ["52175", "69749", "214354", "83818", "73494", "321064"],
            [
                "losartan",
                "losartán",
                "valsartan",
                "valsartán",
                "candesartan",
                "candesartán",
                "irbesartan",
                "irbesartán",
                "telmisartan",
                "telmisartán",
                "olmesartan",
                "olmesartán",
            ]
        ),
        (DrugClass.Digoxin, ["C01AA05"], ["3407"], ["digoxin", "digoxina"]),
        (DrugClass.Ivabradine, ["C01EB17"], ["1649480"], ["ivabradine", "ivabradina"]),
        (
            DrugClass.CalciumChannelBlockerDihydropyridine,
            ["C08CA"],
            ["17767", "33910", "7417"],
            [
                "amlodipine",
                "amlodipino",
                "nifedipine",
                "nifedipino",
                "felodipine",
                "felodipino",
                "lercanidipine",
                "lercanidipino",
            ]
        ),
    ];

    public static DrugClass? Classify(string? system, string? code, string? display)
    {
        if (!string.IsNullOrEmpty(code))
        {
            var upper = code.ToUpperInvariant();
            foreach (var (drugClass, atc, rxnorm, _) in Classes)
            {
                if (system == AtcSystem && atc.Any(p => upper.StartsWith(p, StringComparison.Ordinal)))
                    return drugClass;
                if (system == RxNormSystem && rxnorm.Contains(code, StringComparer.Ordinal))
                    return drugClass;
            }
        }
        return ClassifyByName(display);
    }

    public static DrugClass? ClassifyByName(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var lower = text.ToLowerInvariant();
        foreach (var (drugClass, _, _, names) in Classes)
            if (names.Any(n => lower.Contains(n, StringComparison.Ordinal)))
                return drugClass;
        return null;
    }
}
