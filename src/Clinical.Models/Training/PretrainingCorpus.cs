using System.Security.Cryptography;
using System.Text;
using Clinical.Models.Text;

namespace Clinical.Models.Training;

/// <summary>
/// Unlabelled texts made into pretraining sequences: a stable held-out split by document, then RoBERTa's
/// FULL-SENTENCES packing (Liu et al., 2019, §4.2): documents follow one another with &lt;/s&gt; between them and the
/// token stream is cut into sequences of the training length, so no position is padding.
/// </summary>
internal static class PretrainingCorpus
{
    /// <summary>
    /// Documents whose SHA-256 (of the text) falls in the first share of the hash range are held out: the same text is
    /// on the same side in every run, whatever else the corpus holds.
    /// </summary>
    public static (List<string> Fit, List<string> HeldOut) Split(IReadOnlyList<string> texts, double heldOutShare)
    {
        var fit = new List<string>();
        var heldOut = new List<string>();
        foreach (var text in texts)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
            var position = BitConverter.ToUInt32(hash, 0) / (double)uint.MaxValue;
            (position < heldOutShare ? heldOut : fit).Add(text);
        }
        return (fit, heldOut);
    }

    public static List<PackedSequence> Pack(NoteTokenizer tokenizer, IReadOnlyList<string> texts, int maxLength)
    {
        var bos = SpecialTokens.Require(tokenizer.Special.Bos, "beginning-of-sequence");
        var eos = SpecialTokens.Require(tokenizer.Special.Eos, "end-of-sequence");
        var content = maxLength - 2;
        var encoded = texts.AsParallel().AsOrdered().Select(t => tokenizer.Encode(t)).ToList();
        var ids = new List<int>();
        var special = new List<bool>();
        var wordStart = new List<bool>();
        foreach (var document in encoded)
        {
            if (document.Count == 0)
                continue;
            if (ids.Count > 0)
            {
                ids.Add(eos);
                special.Add(true);
                wordStart.Add(true);
            }
            for (var t = 0; t < document.Count; t++)
            {
                ids.Add(document.Ids[t]);
                special.Add(false);
                wordStart.Add(StartsWord(document.Text, document.Offsets[t]));
            }
        }
        var sequences = new List<PackedSequence>();
        for (var first = 0; first < ids.Count; first += content)
        {
            var count = Math.Min(content, ids.Count - first);
            sequences.Add(
                new PackedSequence(
                    [bos, .. ids.GetRange(first, count), eos],
                    [true, .. special.GetRange(first, count), true],
                    [true, .. wordStart.GetRange(first, count), true]
                )
            );
        }
        return sequences;
    }

    /// <summary>A token starts a word when it begins the text, with a space or punctuation, or after one.</summary>
    private static bool StartsWord(string text, TextSpan span) =>
        span.Start <= 0
        || span.Start >= text.Length
        || !char.IsLetterOrDigit(text[span.Start])
        || !char.IsLetterOrDigit(text[span.Start - 1]);
}
