using Clinical.Models.Text;
using static TorchSharp.torch;

namespace Clinical.Models.Training;

/// <summary>
/// A note as the model sees it in training: its windows, each &lt;s&gt; tokens &lt;/s&gt;, chosen by the same window
/// policy inference uses; and its label.
/// </summary>
internal sealed record EncodedExample(int[][] Windows, int Label)
{
    public int Tokens => Windows.Sum(w => w.Length);
}

/// <summary>Tokenisation into windows, a seeded per-epoch order, and padded batch tensors.</summary>
internal static class TrainingBatches
{
    public static List<EncodedExample> Encode(
        NoteTokenizer tokenizer,
        IReadOnlyList<LabelledNote> notes,
        WindowPolicy windows
    )
    {
        var content = windows.WindowTokens - tokenizer.SpecialTokenCount;
        return notes
            .AsParallel()
            .AsOrdered()
            .Select(note =>
            {
                var (encoded, noteWindows) = windows.Read(tokenizer, note.Text, content);
                return new EncodedExample(
                    noteWindows
                        .Select(w => tokenizer.AddSpecialTokens(NoteWindows.Slice(encoded, w)).Ids.ToArray())
                        .ToArray(),
                    note.Label
                );
            })
            .ToList();
    }

    /// <summary>
    /// The order of examples in an epoch: a Fisher–Yates shuffle from a generator seeded by (seed, epoch), so a
    /// resumed run sees the same order.
    /// </summary>
    public static int[] EpochOrder(int count, long seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        var random = new Random(Seeds.Of(seed, epoch, 0x5eed));
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>
    /// input_ids and attention_mask (W, T) of every window of the batch's notes, padded to the longest; labels (B);
    /// and for each note the first window row and window count, to pool window logits into note logits.
    /// </summary>
    public static (Tensor Ids, Tensor Mask, Tensor Labels, (int First, int Count)[] Notes) ToTensors(
        IReadOnlyList<EncodedExample> batch,
        int pad,
        Device device
    )
    {
        var windows = batch.SelectMany(e => e.Windows).ToList();
        var length = windows.Max(w => w.Length);
        var ids = new long[windows.Count * length];
        var mask = new long[windows.Count * length];
        for (var b = 0; b < windows.Count; b++)
        {
            for (var t = 0; t < length; t++)
            {
                var real = t < windows[b].Length;
                ids[b * length + t] = real ? windows[b][t] : pad;
                mask[b * length + t] = real ? 1 : 0;
            }
        }
        var notes = new (int, int)[batch.Count];
        for (int n = 0, first = 0; n < batch.Count; first += batch[n].Windows.Length, n++)
            notes[n] = (first, batch[n].Windows.Length);
        return (
            tensor(ids, [windows.Count, length], device: device),
            tensor(mask, [windows.Count, length], device: device),
            tensor(batch.Select(e => (long)e.Label).ToArray(), device: device),
            notes
        );
    }

    /// <summary>
    /// A note's log-odds is its most positive window's (multi-instance learning with max pooling; the note classifier
    /// aggregates windows the same way at inference).
    /// </summary>
    /// <param name="logits">(W, 2) window logits</param>
    /// <returns>(B) note log-odds, positive minus negative logit</returns>
    public static Tensor NoteLogOdds(Tensor logits, (int First, int Count)[] notes)
    {
        using var scope = NewDisposeScope();
        var z = logits.select(1, 1).sub(logits.select(1, 0)); // (W)
        return stack(notes.Select(n => z.narrow(0, n.First, n.Count).max()).ToArray()).MoveToOuterDisposeScope();
    }
}
