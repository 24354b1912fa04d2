namespace Clinical.Models.Text;

/// <summary>
/// One window of a note's content tokens: tokens [FirstToken, FirstToken + TokenCount) covering Span of the note.
/// </summary>
public sealed record NoteWindow(int Index, int FirstToken, int TokenCount, TextSpan Span);

/// <summary>
/// Splits a long note into overlapping windows of at most maxTokens content tokens; consecutive
/// windows share `overlap` tokens so a phrase cut by one boundary is whole in the next window.
/// An empty note gives one empty window.
/// </summary>
public static class NoteWindows
{
    public static IReadOnlyList<NoteWindow> Split(EncodedText content, int maxTokens, int overlap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(overlap);
        if (overlap >= maxTokens)
            throw new ArgumentOutOfRangeException(
                nameof(overlap),
                $"The overlap ({overlap}) must be smaller than the window ({maxTokens} tokens)."
            );

        if (content.Count == 0)
            return [new NoteWindow(0, 0, 0, new TextSpan(0, 0))];
        var windows = new List<NoteWindow>();
        var step = maxTokens - overlap;
        for (var first = 0; ; first += step)
        {
            var count = Math.Min(maxTokens, content.Count - first);
            windows.Add(
                new NoteWindow(
                    windows.Count,
                    first,
                    count,
                    TextSpan.Cover(content.Offsets[first], content.Offsets[first + count - 1])
                )
            );
            if (first + count >= content.Count)
                break;
        }
        return windows;
    }

    /// <summary>The window's tokens and their spans, ready to be wrapped in the model's special tokens.</summary>
    public static EncodedText Slice(EncodedText content, NoteWindow window) =>
        new(
            content.Text,
            content.Ids.Skip(window.FirstToken).Take(window.TokenCount).ToList(),
            content.Offsets.Skip(window.FirstToken).Take(window.TokenCount).ToList()
        );

    /// <summary>
    /// Windows of at most maxTokens content tokens centred on mentions, taken in the order given (most specific
    /// first); a mention already inside a chosen window, a quarter window from its edges, adds none. At most
    /// maxWindows, returned in note order and numbered so. No mention: the note's first window. With withFirst the
    /// note's first window is always one of them (chosen before any mention).
    /// </summary>
    public static IReadOnlyList<NoteWindow> AroundMentions(
        EncodedText content,
        IReadOnlyList<TextSpan> mentions,
        int maxTokens,
        int maxWindows,
        bool withFirst = false
    )
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWindows, 1);
        if (content.Count <= maxTokens || mentions.Count == 0)
            return [Split(content, maxTokens, 0)[0]];
        var margin = maxTokens / 4;
        var firsts = withFirst ? new List<int> { 0 } : [];
        foreach (var mention in mentions.TakeWhile(_ => firsts.Count < maxWindows))
        {
            var (from, to) = TokenRange(content, mention);
            if (from < 0)
                continue;
            // Covered: inside a chosen window, a quarter window from any edge that is not the note's own edge.
            if (
                firsts.Exists(f =>
                    from >= (f == 0 ? 0 : f + margin)
                    && to <= (f + maxTokens >= content.Count ? content.Count : f + maxTokens - margin)
                )
            )
                continue;
            var centre = (from + to) / 2;
            firsts.Add(Math.Clamp(centre - maxTokens / 2, 0, content.Count - maxTokens));
        }
        if (firsts.Count == 0)
            return [Split(content, maxTokens, 0)[0]];
        return firsts
            .Distinct()
            .Order()
            .Select(
                (first, i) =>
                    new NoteWindow(
                        i,
                        first,
                        maxTokens,
                        TextSpan.Cover(content.Offsets[first], content.Offsets[first + maxTokens - 1])
                    )
            )
            .ToList();
    }

    /// <summary>The tokens [from, to) overlapping a character span; (-1, -1) when none does.</summary>
    private static (int From, int To) TokenRange(EncodedText content, TextSpan span)
    {
        int from = -1,
            to = -1;
        for (var t = 0; t < content.Count; t++)
        {
            var o = content.Offsets[t];
            if (o.End <= span.Start || o.Start >= span.End)
            {
                if (from >= 0)
                    break;
                continue;
            }
            if (from < 0)
                from = t;
            to = t + 1;
        }
        return (from, to);
    }
}
