using System.Globalization;
using Clinical.Fhir.Extraction;

namespace Clinical.Fhir.Terminology;

/// <summary>
/// One drug or drug group: its ATC code (WHO ATC/DDD index), its RxNorm ingredient where the project's sources give
/// one, the HF-relevant class it belongs to (null for the rest), and its name in Castilian, English and, where they
/// differ, Catalan, Galician and Basque, with other spellings and brands.
/// </summary>
public sealed record DrugEntry(string Atc, string? RxNorm, DrugClass? Class, string Spanish, string English)
{
    public string? Catalan { get; init; }
    public string? Galician { get; init; }
    public string? Basque { get; init; }

    /// <summary>Spelling variants and brands: "furosemid", "Seguril", "Entresto".</summary>
    public IReadOnlyList<string> OtherNames { get; init; } = [];

    /// <summary>The name in a language (es, ca, gl, eu, en); Castilian where a language has none of its own.</summary>
    public string Name(string language) =>
        language switch
        {
            "en" => English,
            "ca" => Catalan ?? Spanish,
            "gl" => Galician ?? Spanish,
            "eu" => Basque ?? Spanish,
            _ => Spanish,
        };

    /// <summary>Every way the drug may be written, each once.</summary>
    public IReadOnlyList<string> Spellings =>
        new[] { Spanish, English, Catalan, Galician, Basque }
            .OfType<string>()
            .Concat(OtherNames)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
}

/// <summary>
/// The one drug lexicon: ingredients and groups keyed by ATC (Spanish primary care) and RxNorm (US data), with their
/// names per language. Extraction classifies medication records with it; the summaries recognise drug names in notes
/// with it (the host maps it into the summariser's drug vocabulary); the synthetic generator writes its codes.
/// Classes (ESC 2021 HF guideline, sections 5–6) are matched by ATC prefix, so an ingredient not listed here still
/// classifies by its code; combination products are listed by their ATC groups and RxNorm clinical drugs.
/// </summary>
public static class DrugLexicon
{
    public const string AtcSystem = "http://www.whocc.no/atc";
    public const string RxNormSystem = "http://www.nlm.nih.gov/research/umls/rxnorm";

    /// <summary>ATC prefixes and RxNorm products (clinical drugs, packs) of each class, beyond ingredients.</summary>
    private static readonly (DrugClass Class, string[] AtcPrefixes, string[] RxNormProducts)[] Classes =
    [
        (DrugClass.SacubitrilValsartan, ["C09DX04"], ["1656339", "1656328", "1656340", "1656349", "1656354"]),
        (DrugClass.LoopDiuretic, ["C03CA", "C03EB"], []),
        (DrugClass.MineralocorticoidAntagonist, ["C03DA"], []),
        (DrugClass.Sglt2Inhibitor, ["A10BK", "A10BD15", "A10BD19", "A10BD20"], []),
        (DrugClass.HeartFailureBetaBlocker, ["C07AB07", "C07AG02", "C07AB12", "C07AB02"], []),
        (DrugClass.AceInhibitor, ["C09A", "C09B"], []),
        (DrugClass.AngiotensinReceptorBlocker, ["C09C", "C09DA", "C09DB"], []),
        (DrugClass.Digoxin, ["C01AA05"], []),
        (DrugClass.Ivabradine, ["C01EB17"], []),
        (DrugClass.CalciumChannelBlockerDihydropyridine, ["C08CA"], ["33910"]),
    ];

    // Combination first: "sacubitrilo/valsartán" must not read as valsartan.
    public static readonly DrugEntry SacubitrilValsartan = new(
        "C09DX04",
        null,
        DrugClass.SacubitrilValsartan,
        "sacubitrilo/valsartán",
        "sacubitril/valsartan"
    )
    {
        Catalan = "sacubitril/valsartan",
        OtherNames = ["sacubitrilo", "sacubitril", "Entresto"],
    };

    public static readonly DrugEntry LoopDiuretics = new(
        "C03CA",
        null,
        DrugClass.LoopDiuretic,
        "diurético de asa",
        "loop diuretic"
    )
    {
        Catalan = "diürètic de nansa",
    };

    public static readonly DrugEntry Furosemide = new(
        "C03CA01",
        "4603",
        DrugClass.LoopDiuretic,
        "furosemida",
        "furosemide"
    )
    {
        OtherNames = ["furosemid", "Seguril"],
    };

    public static readonly DrugEntry Torasemide = new(
        "C03CA04",
        "38413",
        DrugClass.LoopDiuretic,
        "torasemida",
        "torsemide"
    )
    {
        OtherNames = ["torasemide", "torasemid"],
    };

    public static readonly DrugEntry Bumetanide = new(
        "C03CA02",
        "1808",
        DrugClass.LoopDiuretic,
        "bumetanida",
        "bumetanide"
    );

    public static readonly DrugEntry Spironolactone = new(
        "C03DA01",
        "9997",
        DrugClass.MineralocorticoidAntagonist,
        "espironolactona",
        "spironolactone"
    )
    {
        Basque = "espironolaktona",
    };

    public static readonly DrugEntry Eplerenone = new(
        "C03DA04",
        "298869",
        DrugClass.MineralocorticoidAntagonist,
        "eplerenona",
        "eplerenone"
    );

    public static readonly DrugEntry Finerenone = new(
        "C03DA05",
        "2562811",
        DrugClass.MineralocorticoidAntagonist,
        "finerenona",
        "finerenone"
    );

    public static readonly DrugEntry Dapagliflozin = new(
        "A10BK01",
        "1488564",
        DrugClass.Sglt2Inhibitor,
        "dapagliflozina",
        "dapagliflozin"
    )
    {
        OtherNames = ["Forxiga"],
    };

    public static readonly DrugEntry Canagliflozin = new(
        "A10BK02",
        "1373458",
        DrugClass.Sglt2Inhibitor,
        "canagliflozina",
        "canagliflozin"
    );

    public static readonly DrugEntry Empagliflozin = new(
        "A10BK03",
        "1545653",
        DrugClass.Sglt2Inhibitor,
        "empagliflozina",
        "empagliflozin"
    )
    {
        OtherNames = ["Jardiance"],
    };

    public static readonly DrugEntry Ertugliflozin = new(
        "A10BK04",
        "1992672",
        DrugClass.Sglt2Inhibitor,
        "ertugliflozina",
        "ertugliflozin"
    );

    public static readonly DrugEntry Bisoprolol = new(
        "C07AB07",
        "19484",
        DrugClass.HeartFailureBetaBlocker,
        "bisoprolol",
        "bisoprolol"
    );

    public static readonly DrugEntry Metoprolol = new(
        "C07AB02",
        "6918",
        DrugClass.HeartFailureBetaBlocker,
        "metoprolol",
        "metoprolol"
    );

    public static readonly DrugEntry Nebivolol = new(
        "C07AB12",
        "31555",
        DrugClass.HeartFailureBetaBlocker,
        "nebivolol",
        "nebivolol"
    );

    public static readonly DrugEntry Carvedilol = new(
        "C07AG02",
        "20352",
        DrugClass.HeartFailureBetaBlocker,
        "carvedilol",
        "carvedilol"
    );

    public static readonly DrugEntry Captopril = new(
        "C09AA01",
        "1998",
        DrugClass.AceInhibitor,
        "captopril",
        "captopril"
    );
    public static readonly DrugEntry Enalapril = new(
        "C09AA02",
        "3827",
        DrugClass.AceInhibitor,
        "enalapril",
        "enalapril"
    );

    public static readonly DrugEntry Lisinopril = new(
        "C09AA03",
        "29046",
        DrugClass.AceInhibitor,
        "lisinopril",
        "lisinopril"
    );

    public static readonly DrugEntry Perindopril = new(
        "C09AA04",
        "54552",
        DrugClass.AceInhibitor,
        "perindopril",
        "perindopril"
    );

    public static readonly DrugEntry Ramipril = new("C09AA05", "35296", DrugClass.AceInhibitor, "ramipril", "ramipril");
    public static readonly DrugEntry Quinapril = new(
        "C09AA06",
        "35208",
        DrugClass.AceInhibitor,
        "quinapril",
        "quinapril"
    );

    public static readonly DrugEntry Trandolapril = new(
        "C09AA10",
        null,
        DrugClass.AceInhibitor,
        "trandolapril",
        "trandolapril"
    );

    public static readonly DrugEntry Losartan = new(
        "C09CA01",
        "52175",
        DrugClass.AngiotensinReceptorBlocker,
        "losartán",
        "losartan"
    )
    {
        OtherNames = ["losartana"],
    };

    public static readonly DrugEntry Valsartan = new(
        "C09CA03",
        "69749",
        DrugClass.AngiotensinReceptorBlocker,
        "valsartán",
        "valsartan"
    )
    {
        OtherNames = ["valsartana"],
    };

    public static readonly DrugEntry Irbesartan = new(
        "C09CA04",
        "83818",
        DrugClass.AngiotensinReceptorBlocker,
        "irbesartán",
        "irbesartan"
    );

    public static readonly DrugEntry Candesartan = new(
        "C09CA06",
        "214354",
        DrugClass.AngiotensinReceptorBlocker,
        "candesartán",
        "candesartan"
    )
    {
        OtherNames = ["candesartana"],
    };

    public static readonly DrugEntry Telmisartan = new(
        "C09CA07",
        "73494",
        DrugClass.AngiotensinReceptorBlocker,
        "telmisartán",
        "telmisartan"
    );

    public static readonly DrugEntry Olmesartan = new(
        "C09CA08",
        "321064",
        DrugClass.AngiotensinReceptorBlocker,
        "olmesartán",
        "olmesartan"
    );

    public static readonly DrugEntry Digoxin = new("C01AA05", "3407", DrugClass.Digoxin, "digoxina", "digoxin");

    public static readonly DrugEntry Ivabradine = new(
        "C01EB17",
        "1649480",
        DrugClass.Ivabradine,
        "ivabradina",
        "ivabradine"
    );

    public static readonly DrugEntry Amlodipine = new(
        "C08CA01",
        "17767",
        DrugClass.CalciumChannelBlockerDihydropyridine,
        "amlodipino",
        "amlodipine"
    )
    {
        Catalan = "amlodipina",
        OtherNames = ["amlodipina"],
    };

    public static readonly DrugEntry Felodipine = new(
        "C08CA02",
        null,
        DrugClass.CalciumChannelBlockerDihydropyridine,
        "felodipino",
        "felodipine"
    );

    public static readonly DrugEntry Nifedipine = new(
        "C08CA05",
        "7417",
        DrugClass.CalciumChannelBlockerDihydropyridine,
        "nifedipino",
        "nifedipine"
    );

    public static readonly DrugEntry Lercanidipine = new(
        "C08CA13",
        null,
        DrugClass.CalciumChannelBlockerDihydropyridine,
        "lercanidipino",
        "lercanidipine"
    );

    public static readonly DrugEntry Diuretics = new("C03", null, null, "diurético", "diuretic")
    {
        Catalan = "diürètic",
        Basque = "diuretiko",
    };

    public static readonly DrugEntry Hydrochlorothiazide = new(
        "C03AA03",
        "5487",
        null,
        "hidroclorotiazida",
        "hydrochlorothiazide"
    )
    {
        Basque = "hidroklorotiazida",
    };

    public static readonly DrugEntry Chlortalidone = new("C03BA04", null, null, "clortalidona", "chlorthalidone");
    public static readonly DrugEntry Indapamide = new("C03BA11", null, null, "indapamida", "indapamide");
    public static readonly DrugEntry Atenolol = new("C07AB03", null, null, "atenolol", "atenolol");
    public static readonly DrugEntry Diltiazem = new("C08DB01", null, null, "diltiazem", "diltiazem");
    public static readonly DrugEntry Verapamil = new("C08DA01", null, null, "verapamilo", "verapamil");
    public static readonly DrugEntry Metformin = new("A10BA02", "6809", null, "metformina", "metformin");

    public static readonly DrugEntry Insulin = new("A10A", null, null, "insulina", "insulin") { Basque = "intsulina" };

    public static readonly DrugEntry Sitagliptin = new("A10BH01", null, null, "sitagliptina", "sitagliptin");
    public static readonly DrugEntry Atorvastatin = new("C10AA05", "83367", null, "atorvastatina", "atorvastatin");
    public static readonly DrugEntry Simvastatin = new("C10AA01", null, null, "simvastatina", "simvastatin");
    public static readonly DrugEntry Rosuvastatin = new("C10AA07", null, null, "rosuvastatina", "rosuvastatin");

    public static readonly DrugEntry Acenocoumarol = new("B01AA07", null, null, "acenocumarol", "acenocoumarol")
    {
        OtherNames = ["Sintrom"],
    };

    public static readonly DrugEntry Warfarin = new("B01AA03", null, null, "warfarina", "warfarin");
    public static readonly DrugEntry Apixaban = new("B01AF02", "1364430", null, "apixabán", "apixaban");
    public static readonly DrugEntry Rivaroxaban = new("B01AF01", null, null, "rivaroxabán", "rivaroxaban");
    public static readonly DrugEntry Edoxaban = new("B01AF03", null, null, "edoxabán", "edoxaban");
    public static readonly DrugEntry Dabigatran = new("B01AE07", null, null, "dabigatrán", "dabigatran");

    public static readonly DrugEntry AcetylsalicylicAcid = new(
        "B01AC06",
        null,
        null,
        "ácido acetilsalicílico",
        "acetylsalicylic acid"
    )
    {
        Catalan = "àcid acetilsalicílic",
        OtherNames = ["AAS", "Adiro", "aspirina", "aspirin"],
    };

    public static readonly DrugEntry Clopidogrel = new("B01AC04", null, null, "clopidogrel", "clopidogrel");
    public static readonly DrugEntry Amiodarone = new("C01BD01", null, null, "amiodarona", "amiodarone");
    public static readonly DrugEntry Omeprazole = new("A02BC01", null, null, "omeprazol", "omeprazole");
    public static readonly DrugEntry Salbutamol = new("R03AC02", "435", null, "salbutamol", "salbutamol");
    public static readonly DrugEntry Tiotropium = new("R03BB04", "69120", null, "tiotropio", "tiotropium");
    public static readonly DrugEntry Ibuprofen = new("M01AE01", null, null, "ibuprofeno", "ibuprofen");
    public static readonly DrugEntry Naproxen = new("M01AE02", null, null, "naproxeno", "naproxen");

    public static readonly DrugEntry Paracetamol = new("N02BE01", null, null, "paracetamol", "paracetamol")
    {
        OtherNames = ["acetaminophen"],
    };

    public static readonly DrugEntry Levothyroxine = new("H03AA01", null, null, "levotiroxina", "levothyroxine");

    public static readonly DrugEntry FerrousSulfate = new("B03AA07", null, null, "sulfato ferroso", "ferrous sulfate")
    {
        Catalan = "sulfat ferrós",
    };

    /// <summary>Every entry, combinations before their parts (names are matched in this order).</summary>
    public static readonly IReadOnlyList<DrugEntry> All =
    [
        SacubitrilValsartan,
        LoopDiuretics,
        Furosemide,
        Torasemide,
        Bumetanide,
        Spironolactone,
        Eplerenone,
        Finerenone,
        Dapagliflozin,
        Canagliflozin,
        Empagliflozin,
        Ertugliflozin,
        Bisoprolol,
        Metoprolol,
        Nebivolol,
        Carvedilol,
        Captopril,
        Enalapril,
        Lisinopril,
        Perindopril,
        Ramipril,
        Quinapril,
        Trandolapril,
        Losartan,
        Valsartan,
        Irbesartan,
        Candesartan,
        Telmisartan,
        Olmesartan,
        Digoxin,
        Ivabradine,
        Amlodipine,
        Felodipine,
        Nifedipine,
        Lercanidipine,
        Diuretics,
        Hydrochlorothiazide,
        Chlortalidone,
        Indapamide,
        Atenolol,
        Diltiazem,
        Verapamil,
        Metformin,
        Insulin,
        Sitagliptin,
        Atorvastatin,
        Simvastatin,
        Rosuvastatin,
        Acenocoumarol,
        Warfarin,
        Apixaban,
        Rivaroxaban,
        Edoxaban,
        Dabigatran,
        AcetylsalicylicAcid,
        Clopidogrel,
        Amiodarone,
        Omeprazole,
        Salbutamol,
        Tiotropium,
        Ibuprofen,
        Naproxen,
        Paracetamol,
        Levothyroxine,
        FerrousSulfate,
    ];

    public static DrugEntry? ByAtc(string atc) =>
        All.FirstOrDefault(e => string.Equals(e.Atc, atc, StringComparison.OrdinalIgnoreCase));

    /// <summary>The HF-relevant class of a coded drug (ATC by prefix, RxNorm by ingredient or product), else of its
    /// display name.</summary>
    public static DrugClass? Classify(string? system, string? code, string? display)
    {
        if (!string.IsNullOrEmpty(code))
        {
            if (system == AtcSystem)
            {
                var upper = code.ToUpperInvariant();
                foreach (var (drugClass, prefixes, _) in Classes)
                    if (prefixes.Any(p => upper.StartsWith(p, StringComparison.Ordinal)))
                        return drugClass;
            }
            if (system == RxNormSystem)
            {
                if (All.FirstOrDefault(e => e.RxNorm == code && e.Class is not null) is { } entry)
                    return entry.Class;
                foreach (var (drugClass, _, products) in Classes)
                    if (products.Contains(code, StringComparer.Ordinal))
                        return drugClass;
            }
        }
        return ClassifyByName(display);
    }

    /// <summary>
    /// The HF-relevant class of the first entry named in a free text, in any language, ignoring case and accents
    /// ("Furosemide 40 MG Oral Tablet", "Losartán potásico 50 mg").
    /// </summary>
    public static DrugClass? ClassifyByName(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        foreach (var entry in All)
            if (entry.Class is { } drugClass && entry.Spellings.Any(s => Names(text, s)))
                return drugClass;
        return null;
    }

    /// <summary>Whether a text names a drug as a whole word, ignoring case and accents.</summary>
    private static bool Names(string text, string name)
    {
        var compare = CultureInfo.InvariantCulture.CompareInfo;
        for (var from = 0; from < text.Length; )
        {
            var found = compare.IndexOf(
                text.AsSpan(from),
                name,
                CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace,
                out var length
            );
            if (found < 0)
                return false;
            var at = from + found;
            var end = at + length;
            if ((at == 0 || !char.IsLetter(text[at - 1])) && (end == text.Length || !char.IsLetter(text[end])))
                return true;
            from = at + 1;
        }
        return false;
    }
}
