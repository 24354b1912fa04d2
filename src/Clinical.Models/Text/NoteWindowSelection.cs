using System.Text.Json.Serialization;
using Clinical.Models.Language;

namespace Clinical.Models.Text;

/// <summary>Which windows of a note a classifier reads, in training and at inference alike.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WindowSelection>))]
public enum WindowSelection
{
    /// <summary>Every window of the note, consecutive ones overlapping (what screening did before mentions).</summary>
    All,

    /// <summary>
    /// Windows centred on HF-relevant mentions (names, signs, tests, drugs), most specific first, at most MaxWindows;
    /// a note with no mention gives its first window.
    /// </summary>
    Mentions,

    /// <summary>The note's first window only (the old fine-tuning input; inference then read all windows).</summary>
    First,

    /// <summary>
    /// The note's first window (where a report states the history and the reason for the visit) and windows
    /// centred on HF mentions, at most MaxWindows in all.
    /// </summary>
    FirstAndMentions,
}

/// <summary>
/// How a note becomes windows: the selection, tokens per window (&lt;s&gt; and &lt;/s&gt; included), the overlap of
/// consecutive windows (All), the most windows per note (Mentions) and the mention marking. Stored in model-card.json,
/// so inference chooses and marks windows exactly as fine-tuning did.
/// </summary>
public sealed record WindowPolicy(
    [property: JsonPropertyName("selection")] WindowSelection Selection,
    [property: JsonPropertyName("window_tokens")] int WindowTokens,
    [property: JsonPropertyName("overlap")] int Overlap,
    [property: JsonPropertyName("max_windows")] int MaxWindows,
    [property: JsonPropertyName("mention_marking")] MentionMarking Marking = MentionMarking.None
)
{
    /// <summary>A note's content tokens as the model reads them (marked per <see cref="Marking"/>).</summary>
    public EncodedText Encode(NoteTokenizer tokenizer, string text) => MentionMarkers.Encode(tokenizer, text, Marking);

    /// <summary>
    /// A note's content tokens and windows under this policy, the clinical-language layer read once for both the
    /// markers and the windows' centres.
    /// </summary>
    public (EncodedText Content, IReadOnlyList<NoteWindow> Windows) Read(
        NoteTokenizer tokenizer,
        string text,
        int contentTokens
    )
    {
        var mentions = new Lazy<IReadOnlyList<ClinicalMention>>(() => MentionReader.Read(text));
        var content = MentionMarkers.Encode(
            tokenizer,
            text,
            Marking,
            Marking == MentionMarking.None ? null : mentions.Value
        );
        return (content, Windows(content, contentTokens, () => NoteMentions.Rank(mentions.Value)));
    }

    /// <summary>The windows of one note's content tokens under this policy.</summary>
    public IReadOnlyList<NoteWindow> Windows(EncodedText content, int contentTokens) =>
        Windows(content, contentTokens, () => NoteMentions.Find(content.Text));

    private IReadOnlyList<NoteWindow> Windows(
        EncodedText content,
        int contentTokens,
        Func<IReadOnlyList<TextSpan>> mentions
    ) =>
        Selection switch
        {
            WindowSelection.All => NoteWindows.Split(content, contentTokens, Math.Min(Overlap, contentTokens / 2)),
            WindowSelection.First => [NoteWindows.Split(content, contentTokens, 0)[0]],
            WindowSelection.Mentions => NoteWindows.AroundMentions(content, mentions(), contentTokens, MaxWindows),
            WindowSelection.FirstAndMentions => NoteWindows.AroundMentions(
                content,
                mentions(),
                contentTokens,
                MaxWindows,
                withFirst: true
            ),
            _ => throw new InvalidOperationException($"Unknown window selection {Selection}."),
        };
}

/// <summary>
/// The HF-relevant mentions windows are centred on, most specific first, then in note order: every concept the
/// clinical-language layer finds, whatever its assertion (the classifier, not the lexicon, reads negation and
/// scope), ranked as the ESC 2021 HF guideline (Table 5) ranks symptoms and signs: HF itself and raised jugular
/// pressure, then orthopnoea, PND and crackles, then the less specific findings.
/// </summary>
public static class NoteMentions
{
    public static IReadOnlyList<TextSpan> Find(string text) => Rank(MentionReader.Read(text));

    /// <summary>Mentions already read, ranked as <see cref="Find"/> ranks them.</summary>
    public static IReadOnlyList<TextSpan> Rank(IReadOnlyList<ClinicalMention> mentions) =>
        mentions
            .OrderByDescending(m => Specificity(m.Concept))
            .ThenBy(m => m.Start)
            .Select(m => new TextSpan(m.Start, m.End))
            .ToList();

    private static int Specificity(ClinicalConcept concept) =>
        concept switch
        {
            ClinicalConcept.HeartFailure or ClinicalConcept.RaisedJugularPressure => 5,
            ClinicalConcept.Orthopnoea or ClinicalConcept.ParoxysmalNocturnalDyspnoea or ClinicalConcept.Crackles => 4,
            ClinicalConcept.AtrialFibrillation => 2,
            ClinicalConcept.Nocturia or ClinicalConcept.Fatigue => 1,
            _ => 3,
        };
}
