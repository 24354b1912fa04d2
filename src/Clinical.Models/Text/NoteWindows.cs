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
}
