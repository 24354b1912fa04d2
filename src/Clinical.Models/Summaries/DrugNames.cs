using System.Text.RegularExpressions;

namespace Clinical.Models.Summaries;

/// <summary>A drug named in text: its canonical name and the words as written.</summary>
public sealed record DrugMention(string Name, string Text);

/// <summary>
/// Drug names a primary-care HF summary may mention (HF therapy, antihypertensives, antidiabetics, anticoagulants,
/// common co-medication), as Spanish, Catalan, Galician, Basque and English write them, compared without accents.
/// </summary>
public static class DrugNames
{
    private static readonly (string Name, string[] Spellings)[] Drugs =
    [
        ("furosemida", ["furosemida", "furosemide", "furosemid", "seguril"]),
        ("torasemida", ["torasemida", "torasemide", "torasemid"]),
        ("hidroclorotiazida", ["hidroclorotiazida", "hydrochlorothiazide", "hidroklorotiazida"]),
        ("clortalidona", ["clortalidona", "chlorthalidone"]),
        ("indapamida", ["indapamida", "indapamide"]),
        ("espironolactona", ["espironolactona", "spironolactone", "espironolaktona"]),
        ("eplerenona", ["eplerenona", "eplerenone"]),
        ("sacubitrilo/valsartán", ["sacubitrilo", "sacubitril", "entresto"]),
        ("dapagliflozina", ["dapagliflozina", "dapagliflozin", "forxiga"]),
        ("empagliflozina", ["empagliflozina", "empagliflozin", "jardiance"]),
        ("canagliflozina", ["canagliflozina", "canagliflozin"]),
        ("bisoprolol", ["bisoprolol"]),
        ("carvedilol", ["carvedilol"]),
        ("nebivolol", ["nebivolol"]),
        ("metoprolol", ["metoprolol"]),
        ("atenolol", ["atenolol"]),
        ("enalapril", ["enalapril"]),
        ("ramipril", ["ramipril"]),
        ("lisinopril", ["lisinopril"]),
        ("captopril", ["captopril"]),
        ("perindopril", ["perindopril"]),
        ("losartán", ["losartan", "losartana"]),
        ("valsartán", ["valsartan", "valsartana"]),
        ("candesartán", ["candesartan", "candesartana"]),
        ("irbesartán", ["irbesartan"]),
        ("olmesartán", ["olmesartan"]),
        ("telmisartán", ["telmisartan"]),
        ("ivabradina", ["ivabradina", "ivabradine"]),
        ("digoxina", ["digoxina", "digoxin"]),
        ("amlodipino", ["amlodipino", "amlodipina", "amlodipine"]),
        ("diltiazem", ["diltiazem"]),
        ("verapamilo", ["verapamilo", "verapamil"]),
        ("metformina", ["metformina", "metformin"]),
        ("insulina", ["insulina", "insulin", "intsulina"]),
        ("sitagliptina", ["sitagliptina", "sitagliptin"]),
        ("atorvastatina", ["atorvastatina", "atorvastatin"]),
        ("simvastatina", ["simvastatina", "simvastatin"]),
        ("rosuvastatina", ["rosuvastatina", "rosuvastatin"]),
        ("acenocumarol", ["acenocumarol", "sintrom"]),
        ("warfarina", ["warfarina", "warfarin"]),
        ("apixabán", ["apixaban"]),
        ("rivaroxabán", ["rivaroxaban"]),
        ("edoxabán", ["edoxaban"]),
        ("dabigatrán", ["dabigatran"]),
        (
            "ácido acetilsalicílico",
            ["acido acetilsalicilico", "acid acetilsalicilic", "aas", "adiro", "aspirina", "aspirin"]
        ),
        ("clopidogrel", ["clopidogrel"]),
        ("amiodarona", ["amiodarona", "amiodarone"]),
        ("omeprazol", ["omeprazol", "omeprazole"]),
        ("salbutamol", ["salbutamol"]),
        ("ibuprofeno", ["ibuprofeno", "ibuprofen"]),
        ("naproxeno", ["naproxeno", "naproxen"]),
        ("paracetamol", ["paracetamol"]),
        ("levotiroxina", ["levotiroxina", "levothyroxine"]),
    ];

    private static readonly (string Name, Regex Pattern)[] Patterns = Drugs
        .Select(d =>
            (
                d.Name,
                new Regex(
                    $@"(?<![\p{{L}}])(?:{string.Join('|', d.Spellings.Select(Regex.Escape))})(?![\p{{L}}])",
                    RegexOptions.CultureInvariant
                )
            )
        )
        .ToArray();

    public static IReadOnlyList<DrugMention> Find(string text)
    {
        var folded = GroundingCheck.Fold(text);
        var found = new List<DrugMention>();
        foreach (var (name, pattern) in Patterns)
        foreach (Match match in pattern.Matches(folded))
            found.Add(new DrugMention(name, match.Value));
        return found;
    }
}
