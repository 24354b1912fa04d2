namespace Clinical.Fhir.Notes;

/// <summary>
/// Tells Spanish, Catalan, Basque, Galician and English apart by marker words that are frequent in
/// one language and rare in the others (short clinical notes carry few words, so markers beat n-grams).
/// Confidence is the winning share of marker hits; with no hits the note is assumed Spanish at 0.
/// </summary>
public static class LanguageDetector
{
    private static readonly Dictionary<string, string[]> Markers = new(StringComparer.Ordinal)
    {
        ["es"] = ["el", "los", "las", "del", "con", "sin", "por", "para", "que", "niega", "refiere", "presenta", "paciente", "dolor", "años", "desde", "hace", "pero", "muy", "esfuerzo", "tobillos", "también", "según", "cuando"],
        ["ca"] = ["el", "els", "les", "amb", "sense", "per", "que", "nega", "refereix", "pacient", "dolor", "anys", "des", "fa", "però", "molt", "esforç", "turmells", "també", "segons", "quan", "i", "dels", "aquest", "hi"],
        ["gl"] = ["o", "os", "as", "do", "da", "dos", "das", "con", "sen", "por", "para", "que", "nega", "refire", "presenta", "paciente", "dor", "anos", "dende", "fai", "pero", "moi", "esforzo", "nocellos", "tamén", "cando", "non", "unha"],
        ["eu"] = ["eta", "da", "du", "ez", "ditu", "gaixoak", "urte", "dago", "ere", "baina", "oso", "ahaleginean", "arnasestuka", "edemarik", "ortopnearik", "bat", "dira", "zuen", "gabe", "egun", "orain", "ondo", "min", "handia"],
        ["en"] = ["the", "and", "with", "without", "of", "patient", "denies", "reports", "pain", "years", "since", "but", "very", "exertion", "ankles", "also", "when", "is", "was", "has", "no", "history"],
    };

    public static (string Language, double Confidence) Detect(string text)
    {
        var words = text.ToLowerInvariant()
            .Split([' ', '\n', '\r', '\t', ',', '.', ';', ':', '(', ')', '/', '"', '¿', '?', '¡', '!', '-'], StringSplitOptions.RemoveEmptyEntries);
        var scores = Markers.ToDictionary(m => m.Key, _ => 0.0, StringComparer.Ordinal);
        foreach (var word in words)
        {
            var languages = Markers.Where(m => m.Value.Contains(word, StringComparer.Ordinal)).Select(m => m.Key).ToList();
            foreach (var language in languages)
                scores[language] += 1.0 / languages.Count; // shared words ("que", "per") count less
        }
        var total = scores.Values.Sum();
        if (total < 1) return ("es", 0);
        var best = scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).First();
        return (best.Key, Math.Round(best.Value / total, 2));
    }
}
