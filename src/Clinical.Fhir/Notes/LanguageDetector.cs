namespace Clinical.Fhir.Notes;

/// <summary>
/// Tells Spanish, Catalan, Basque, Galician and English apart by marker words: function words and
/// everyday clinical words that are frequent in one language and rare in the others (short clinical
/// notes carry few words, so markers beat character n-grams trained on other genres). A word shared by
/// k languages counts 1/k for each. All-capital tokens (HTA, AP, O:, TA) and short capitalised ones (Na, Hb)
/// are abbreviations, not words, and are ignored, as are single letters. Confidence is the winning share of marker
/// weight; with no
/// markers the note is assumed Spanish at confidence 0.
/// </summary>
public static class LanguageDetector
{
    private static readonly Dictionary<string, string[]> Markers = new(StringComparer.Ordinal)
    {
        ["es"] =
        [
            "el",
            "los",
            "las",
            "del",
            "con",
            "sin",
            "por",
            "para",
            "que",
            "y",
            "en",
            "la",
            "se",
            "su",
            "al",
            "no",
            "muy",
            "pero",
            "también",
            "desde",
            "hace",
            "niega",
            "refiere",
            "presenta",
            "paciente",
            "viene",
            "consulta",
            "control",
            "revisión",
            "resultados",
            "analítica",
            "analitica",
            "días",
            "dias",
            "semanas",
            "meses",
            "años",
            "buen",
            "estado",
            "general",
            "tonos",
            "rítmicos",
            "ritmicos",
            "soplos",
            "crepitantes",
            "próximo",
            "proximo",
            "esfuerzo",
            "tobillos",
            "piernas",
            "cansancio",
            "sueño",
            "noche",
            "ahora",
            "igual",
            "mejor",
            "peor",
            "disnea",
            "edemas",
            "tos",
            "dolor",
            "novedades",
            "cita",
            "pide",
            "acude",
            "tratamiento",
            "mantiene",
            "valorar",
            "solicita",
            "probable",
            "descartar",
        ],
        ["ca"] =
        [
            "el",
            "els",
            "les",
            "amb",
            "sense",
            "per",
            "que",
            "i",
            "en",
            "la",
            "es",
            "al",
            "dels",
            "del",
            "molt",
            "però",
            "també",
            "des",
            "fa",
            "nega",
            "refereix",
            "presenta",
            "pacient",
            "ve",
            "consulta",
            "control",
            "revisió",
            "resultats",
            "analítica",
            "dies",
            "setmanes",
            "mesos",
            "anys",
            "bon",
            "estat",
            "general",
            "tons",
            "rítmics",
            "bufs",
            "crepitants",
            "proper",
            "esforç",
            "turmells",
            "cames",
            "cansament",
            "son",
            "nit",
            "ara",
            "igual",
            "millor",
            "pitjor",
            "dispnea",
            "edemes",
            "tos",
            "dolor",
            "novetats",
            "visita",
            "demana",
            "tractament",
            "manté",
            "valorar",
            "sol·licita",
            "probable",
            "descartar",
            "hi",
            "aquest",
        ],
        ["gl"] =
        [
            "o",
            "os",
            "as",
            "do",
            "da",
            "dos",
            "das",
            "co",
            "coa",
            "sen",
            "por",
            "para",
            "que",
            "e",
            "en",
            "no",
            "na",
            "moi",
            "pero",
            "tamén",
            "dende",
            "fai",
            "nega",
            "refire",
            "presenta",
            "paciente",
            "vén",
            "consulta",
            "control",
            "revisión",
            "resultados",
            "analítica",
            "días",
            "semanas",
            "meses",
            "anos",
            "bo",
            "estado",
            "xeral",
            "tons",
            "rítmicos",
            "sopros",
            "crepitantes",
            "próximo",
            "esforzo",
            "nocellos",
            "pernas",
            "canso",
            "cansazo",
            "sono",
            "noite",
            "agora",
            "igual",
            "mellor",
            "peor",
            "dispnea",
            "edemas",
            "tose",
            "dor",
            "novidades",
            "cita",
            "pide",
            "acode",
            "tratamento",
            "mantén",
            "valorar",
            "solicita",
            "probable",
            "descartar",
            "non",
            "unha",
            "un",
            "ao",
        ],
        ["eu"] =
        [
            "eta",
            "ez",
            "du",
            "da",
            "dago",
            "ditu",
            "dira",
            "zuen",
            "gabe",
            "ere",
            "baina",
            "oso",
            "bat",
            "ondo",
            "orain",
            "gaixoak",
            "pazientea",
            "kontsulta",
            "kontrola",
            "analitika",
            "emaitzak",
            "ikustera",
            "dator",
            "egun",
            "aste",
            "hilabete",
            "urte",
            "egoera",
            "orokorra",
            "ona",
            "ahaleginean",
            "arnasestuka",
            "edemarik",
            "ortopnearik",
            "hurrengo",
            "nekea",
            "gauean",
            "berdin",
            "hobeto",
            "okerrago",
            "eztula",
            "mina",
            "berririk",
            "tratamendua",
            "mantentzen",
            "eskatzen",
            "baztertu",
            "ukatzen",
            "aurkezten",
            "ditu",
            "zaio",
            "du",
            "dela",
        ],
        ["en"] =
        [
            "the",
            "and",
            "with",
            "without",
            "of",
            "patient",
            "denies",
            "reports",
            "presents",
            "is",
            "was",
            "has",
            "have",
            "history",
            "since",
            "but",
            "very",
            "also",
            "when",
            "exertion",
            "ankles",
            "legs",
            "swelling",
            "shortness",
            "breath",
            "pain",
            "years",
            "months",
            "weeks",
            "days",
            "good",
            "general",
            "condition",
            "follow",
            "visit",
            "results",
            "treatment",
            "continues",
            "requested",
            "likely",
            "rule",
            "out",
            "this",
            "that",
            "for",
            "to",
            "on",
            "at",
        ],
    };

    private static readonly Dictionary<string, (string Language, double Weight)[]> WeightsByWord = BuildWeights();

    /// <summary>ISO 639-2 "undetermined": a note in none of the languages told apart here.</summary>
    public const string Undetermined = "und";

    public static (string Language, double Confidence) Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsMostlyLatinScript(text))
            return (Undetermined, 1.0);
        var scores = Markers.Keys.ToDictionary(k => k, _ => 0.0, StringComparer.Ordinal);
        foreach (var token in text.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.Length < 2 || IsAbbreviation(token))
                continue;
            if (WeightsByWord.TryGetValue(token.ToLowerInvariant(), out var weights))
            {
                foreach (var (language, weight) in weights)
                    scores[language] += weight;
            }
        }
        var total = scores.Values.Sum();
        if (total < 1)
            return ("es", 0);
        var best = scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key == "es" ? 0 : 1).First();
        return (best.Key, Math.Round(best.Value / total, 2));
    }

    /// <summary>
    /// All five languages are written in the Latin script: a note whose letters are mostly of another script
    /// (Cyrillic, Han, Arabic ...), or which holds replacement or control characters (bytes that were not text), is
    /// none of them, however its few Latin tokens score (issue 16: Russian and Chinese notes were read as Spanish).
    /// </summary>
    private static bool IsMostlyLatinScript(string text)
    {
        int letters = 0,
            latin = 0;
        foreach (var c in text)
        {
            if (c == '\uFFFD' || (char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
                return false;
            if (!char.IsLetter(c))
                continue;
            letters++;
            // Basic Latin, Latin-1 Supplement, Latin Extended-A and -B (ñ, ç, à, l·l, tx).
            if (c <= '\u024F')
                latin++;
        }
        return letters == 0 || latin * 2 > letters;
    }

    private static readonly char[] Separators =
    [
        ' ',
        '\n',
        '\r',
        '\t',
        ',',
        '.',
        ';',
        ':',
        '(',
        ')',
        '/',
        '"',
        '¿',
        '?',
        '¡',
        '!',
        '-',
        '\'',
        '’',
        '[',
        ']',
    ];

    /// <summary>
    /// HTA, AP, O; and short capitalised lab symbols (Na, Hb, Cr), which would read as words ("na" in Galician).
    /// </summary>
    private static bool IsAbbreviation(string token) =>
        (token.Any(char.IsLetter) && !token.Any(char.IsLower)) || (token.Length <= 3 && char.IsUpper(token[0]));

    private static Dictionary<string, (string, double)[]> BuildWeights()
    {
        var languagesByWord = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (language, words) in Markers)
        {
            foreach (var word in words)
            {
                if (!languagesByWord.TryGetValue(word, out var set))
                    languagesByWord[word] = set = new HashSet<string>(StringComparer.Ordinal);
                set.Add(language);
            }
        }
        return languagesByWord.ToDictionary(
            kv => kv.Key,
            kv => kv.Value.Select(l => (l, 1.0 / kv.Value.Count)).ToArray(),
            StringComparer.Ordinal
        );
    }
}
