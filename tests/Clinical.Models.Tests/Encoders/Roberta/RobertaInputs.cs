using Clinical.Models.Text;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Encoders.Roberta;

/// <summary>Right-padded input_ids and attention_mask for a few texts, on a device.</summary>
internal static class RobertaInputs
{
    public static (Tensor Ids, Tensor Mask) Batch(
        NoteTokenizer tokenizer,
        IReadOnlyList<string> texts,
        Device device,
        int padTo = 0
    )
    {
        var encoded = texts.Select(t => tokenizer.EncodeForModel(t).Ids).ToList();
        var length = Math.Max(padTo, encoded.Max(e => e.Count));
        var pad = SpecialTokensOf(tokenizer);
        var ids = new long[texts.Count * length];
        var mask = new long[texts.Count * length];
        for (var b = 0; b < encoded.Count; b++)
        {
            for (var t = 0; t < length; t++)
            {
                ids[b * length + t] = t < encoded[b].Count ? encoded[b][t] : pad;
                mask[b * length + t] = t < encoded[b].Count ? 1 : 0;
            }
        }
        return (
            tensor(ids, [texts.Count, length], device: device),
            tensor(mask, [texts.Count, length], device: device)
        );
    }

    private static int SpecialTokensOf(NoteTokenizer tokenizer) =>
        SpecialTokens.Require(tokenizer.Special.Pad, "padding");
}
