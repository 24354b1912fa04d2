using System.Text;
using System.Text.Json.Serialization;
using Clinical.Models.Language;

namespace Clinical.Models.Text;

/// <summary>
/// What a note classifier reads besides the note's words. <see cref="Assertions"/>: before each mention the
/// clinical-language layer finds, a typed marker naming how it stands ("[negado] insuficiencia cardiaca"), the
/// entity-marker input of Zhong and Chen (NAACL 2021, "A frustratingly easy approach for entity and relation
/// extraction"). A small encoder fine-tuned on a few hundred real notes cannot learn negation and scope from them;
/// with markers it learns how much each ConText reading should weigh instead. Stored in the model card with the window
/// policy, so inference marks notes exactly as fine-tuning did.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<MentionMarking>))]
public enum MentionMarking
{
    /// <summary>The note as written.</summary>
    None,

    /// <summary>Each mention preceded by its assertion's marker.</summary>
    Assertions,

    /// <summary>
    /// Each mention preceded by a marker naming its concept and its assertion ("[ic negado]", "[ortopnea afirmado]"):
    /// the typed markers of Zhong and Chen, so that the few hundred labelled notes teach what each reading weighs
    /// instead of which words name heart failure.
    /// </summary>
    ConceptsAndAssertions,
}

/// <summary>
/// Encodes a note under a marking. Token spans always point at the note as written: a marker's tokens cover the
/// mention they introduce, so windows, explanations and highlights stay in the note's own characters.
/// </summary>
public static class MentionMarkers
{
    /// <summary>A mention's marker under a marking (language-neutral: the same for every note language).</summary>
    public static string Marker(ClinicalMention mention, MentionMarking marking) =>
        marking switch
        {
            MentionMarking.Assertions => $"[{Tag(mention.Assertion)}] ",
            MentionMarking.ConceptsAndAssertions => $"[{Tag(mention.Concept)} {Tag(mention.Assertion)}] ",
            _ => "",
        };

    private static string Tag(Assertion assertion) =>
        assertion switch
        {
            Assertion.Affirmed => "afirmado",
            Assertion.Negated => "negado",
            Assertion.Hypothetical => "hipotético",
            Assertion.Hedged => "dudoso",
            Assertion.Historical => "previo",
            Assertion.Family => "familiar",
            _ => throw new ArgumentOutOfRangeException(nameof(assertion), assertion, "Unknown assertion."),
        };

    private static string Tag(ClinicalConcept concept) =>
        concept switch
        {
            ClinicalConcept.HeartFailure => "ic",
            ClinicalConcept.ExertionalDyspnoea => "disnea",
            ClinicalConcept.Orthopnoea => "ortopnea",
            ClinicalConcept.ParoxysmalNocturnalDyspnoea => "dpn",
            ClinicalConcept.Oedema => "edema",
            ClinicalConcept.Crackles => "crepitantes",
            ClinicalConcept.RaisedJugularPressure => "ingurgitación yugular",
            ClinicalConcept.WeightGain => "aumento de peso",
            ClinicalConcept.Nocturia => "nicturia",
            ClinicalConcept.Fatigue => "fatiga",
            ClinicalConcept.ThirdHeartSound => "tercer ruido",
            ClinicalConcept.NatriureticPeptide => "péptido natriurético",
            ClinicalConcept.Echocardiogram => "ecocardiograma",
            ClinicalConcept.Cardiomegaly => "cardiomegalia",
            ClinicalConcept.PleuralEffusion => "derrame pleural",
            ClinicalConcept.AtrialFibrillation => "fibrilación auricular",
            _ => throw new ArgumentOutOfRangeException(nameof(concept), concept, "Unknown concept."),
        };

    /// <summary>
    /// The note's tokens under a marking; mentions the caller has already read may be passed (else they are read).
    /// </summary>
    public static EncodedText Encode(
        NoteTokenizer tokenizer,
        string text,
        MentionMarking marking,
        IReadOnlyList<ClinicalMention>? mentions = null
    )
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(text);
        if (marking == MentionMarking.None)
            return tokenizer.Encode(text);
        var ordered = (mentions ?? MentionReader.Read(text)).OrderBy(m => m.Start).ToList();
        if (ordered.Count == 0)
            return tokenizer.Encode(text);

        // For each character of the marked text, the span of the note it stands for: itself, or for a marker's
        // characters the whole mention it introduces.
        var marked = new StringBuilder(text.Length + 12 * ordered.Count);
        var from = new List<int>(text.Length + 12 * ordered.Count);
        var to = new List<int>(from.Capacity);
        var next = 0;
        foreach (var mention in ordered)
        {
            Copy(text, next, mention.Start, marked, from, to);
            next = Math.Max(next, mention.Start);
            foreach (var c in Marker(mention, marking))
            {
                marked.Append(c);
                from.Add(mention.Start);
                to.Add(mention.End);
            }
        }
        Copy(text, next, text.Length, marked, from, to);

        var encoded = tokenizer.Encode(marked.ToString());
        var offsets = encoded
            .Offsets.Select(o =>
                o.Length == 0
                    ? Point(o.Start < from.Count ? from[o.Start] : text.Length)
                    : new TextSpan(from[o.Start], LastEnd(to, o))
            )
            .ToList();
        return new EncodedText(text, encoded.Ids, offsets);
    }

    private static void Copy(string text, int start, int end, StringBuilder marked, List<int> from, List<int> to)
    {
        for (var i = start; i < end; i++)
        {
            marked.Append(text[i]);
            from.Add(i);
            to.Add(i + 1);
        }
    }

    private static TextSpan Point(int at) => new(at, at);

    /// <summary>The furthest note character any of a token's marked characters stands for.</summary>
    private static int LastEnd(List<int> to, TextSpan token)
    {
        var end = to[token.Start];
        for (var i = token.Start + 1; i < token.End; i++)
            end = Math.Max(end, to[i]);
        return end;
    }
}
