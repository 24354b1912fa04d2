using Clinical.Models.Text;
using static TorchSharp.torch;

namespace Clinical.Models.Training;

/// <summary>A note as the model sees it in training: &lt;s&gt; its first tokens &lt;/s&gt;, and its label.</summary>
internal sealed record EncodedExample(int[] Ids, int Label);

/// <summary>Tokenisation, a seeded per-epoch order, and padded batch tensors.</summary>
internal static class TrainingBatches
{
    public static List<EncodedExample> Encode(NoteTokenizer tokenizer, IReadOnlyList<LabelledNote> notes, int maxLength)
    {
        var content = maxLength - tokenizer.SpecialTokenCount;
        return notes
            .AsParallel()
            .AsOrdered()
            .Select(note =>
            {
                var encoded = tokenizer.Encode(note.Text);
                var head = new EncodedText(
                    encoded.Text,
                    encoded.Ids.Take(content).ToList(),
                    encoded.Offsets.Take(content).ToList()
                );
                return new EncodedExample(tokenizer.AddSpecialTokens(head).Ids.ToArray(), note.Label);
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
        var random = new Random(HashCode.Combine(seed, epoch, 0x5eed));
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>input_ids and attention_mask (B, T) padded to the longest example, and labels (B).</summary>
    public static (Tensor Ids, Tensor Mask, Tensor Labels) ToTensors(
        IReadOnlyList<EncodedExample> batch,
        int pad,
        Device device
    )
    {
        var length = batch.Max(e => e.Ids.Length);
        var ids = new long[batch.Count * length];
        var mask = new long[batch.Count * length];
        for (var b = 0; b < batch.Count; b++)
        {
            for (var t = 0; t < length; t++)
            {
                var real = t < batch[b].Ids.Length;
                ids[b * length + t] = real ? batch[b].Ids[t] : pad;
                mask[b * length + t] = real ? 1 : 0;
            }
        }
        return (
            tensor(ids, [batch.Count, length], device: device),
            tensor(mask, [batch.Count, length], device: device),
            tensor(batch.Select(e => (long)e.Label).ToArray(), device: device)
        );
    }
}
