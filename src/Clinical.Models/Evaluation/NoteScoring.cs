using Clinical.Models.Encoders.Roberta;

namespace Clinical.Models.Evaluation;

/// <summary>
/// Scores many notes with a classifier in bounded chunks, so any number of notes streams through in constant memory.
/// </summary>
public static class NoteScoring
{
    public const int ChunkNotes = 64;

    /// <summary>
    /// Loads a classifier folder exactly as every consumer does (default windows), so evaluation and calibration see
    /// what screening sees.
    /// </summary>
    public static NoteClassifier Load(string directory, Runtime.ComputeTarget target) =>
        NoteClassifier.Load(directory, target);

    /// <summary>Positive-minus-negative log-odds per note (already divided by the classifier's temperature).</summary>
    public static IReadOnlyList<double> LogOdds(NoteClassifier classifier, IEnumerable<string> notes) =>
        Stream(classifier, notes).Select(s => LogOdds(s)).ToList();

    public static IEnumerable<NoteScore> Stream(NoteClassifier classifier, IEnumerable<string> notes)
    {
        foreach (var chunk in notes.Chunk(ChunkNotes))
        foreach (var score in classifier.Classify(chunk))
            yield return score;
    }

    public static double LogOdds(NoteScore score)
    {
        var p = Math.Clamp(score.Probability, 1e-12, 1 - 1e-12);
        return score.Logits.Count == 2 ? score.Logits[1] - (double)score.Logits[0] : Math.Log(p / (1 - p));
    }
}
