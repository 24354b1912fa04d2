using Clinical.Models.Text;

namespace Clinical.Models.Encoders.Roberta;

/// <summary>How window logits become a note's logits, and note logits a patient's.</summary>
public enum ScoreAggregation
{
    /// <summary>The part (window or note) with the highest positive-label log-odds decides.</summary>
    Max,

    /// <summary>The mean of the parts' logits.</summary>
    Mean,
}

/// <summary>A scored window: its logits, the positive-label probability, and the note spans of its tokens.</summary>
public sealed record WindowScore(
    NoteWindow Window,
    IReadOnlyList<float> Logits,
    double Probability,
    IReadOnlyList<TextSpan> TokenSpans
);

/// <summary>A note's positive-label probability and the window that drove it (highest positive log-odds).</summary>
public sealed record NoteScore(
    int NoteIndex,
    double Probability,
    IReadOnlyList<float> Logits,
    WindowScore DrivingWindow,
    IReadOnlyList<WindowScore> Windows
);

/// <summary>A patient's positive-label probability over all their notes, and the note that drove it.</summary>
public sealed record PatientScore(
    double Probability,
    IReadOnlyList<float> Logits,
    NoteScore DrivingNote,
    IReadOnlyList<NoteScore> Notes
);

/// <summary>
/// A part of a note and how much hiding it lowered the positive-label log-odds (negative: it argued against).
/// </summary>
public sealed record EvidenceSpan(TextSpan Span, double LogOddsDrop);

internal static class Scores
{
    public static double Probability(IReadOnlyList<float> logits, int positive)
    {
        var max = logits.Max();
        var sum = logits.Sum(l => Math.Exp(l - max));
        return Math.Exp(logits[positive] - max) / sum;
    }

    /// <summary>log p(positive) − log p(not positive); with two labels, the logit difference.</summary>
    public static double LogOdds(IReadOnlyList<float> logits, int positive)
    {
        var p = Math.Clamp(Probability(logits, positive), 1e-300, 1 - 1e-16);
        return Math.Log(p) - Math.Log(1 - p);
    }

    public static IReadOnlyList<float> Aggregate(
        IReadOnlyList<IReadOnlyList<float>> parts,
        int positive,
        ScoreAggregation how
    ) =>
        how switch
        {
            ScoreAggregation.Max => parts[Driving(parts, positive)],
            ScoreAggregation.Mean => Enumerable.Range(0, parts[0].Count).Select(j => parts.Average(p => p[j])).ToList(),
            _ => throw new ArgumentOutOfRangeException(nameof(how), how, null),
        };

    public static int Driving(IReadOnlyList<IReadOnlyList<float>> parts, int positive)
    {
        var best = 0;
        for (var i = 1; i < parts.Count; i++)
            if (LogOdds(parts[i], positive) > LogOdds(parts[best], positive))
                best = i;
        return best;
    }
}
