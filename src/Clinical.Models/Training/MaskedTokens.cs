namespace Clinical.Models.Training;

/// <summary>A packed pretraining sequence (&lt;s&gt; tokens &lt;/s&gt;), its special positions, word starts.</summary>
internal sealed record PackedSequence(int[] Ids, bool[] Special, bool[] WordStart);

/// <summary>Model inputs with some tokens hidden, and the ids to predict there (-100 elsewhere: ignored).</summary>
internal sealed record MaskedSequence(long[] Inputs, long[] Labels);

/// <summary>
/// BERT's masked-language-model corruption (Devlin et al., 2019, §3.1; transformers'
/// DataCollatorForLanguageModeling and, for whole words, DataCollatorForWholeWordMask): each non-special token (or
/// each word, all its tokens together) is chosen with probability p; a chosen token becomes &lt;mask&gt; 80 % of the
/// time, a random token 10 %, and stays itself 10 %; the loss is taken at chosen tokens only. RoBERTa draws a new mask
/// every epoch (dynamic masking); here the draw is seeded by (seed, epoch, sequence), so a resumed run sees the same.
/// </summary>
internal static class MaskedTokens
{
    public const long Ignore = -100;

    public static MaskedSequence Mask(
        PackedSequence sequence,
        double probability,
        bool wholeWords,
        int maskId,
        int vocabularySize,
        Random random
    )
    {
        var n = sequence.Ids.Length;
        var inputs = new long[n];
        var labels = new long[n];
        var chosenWord = false;
        for (var t = 0; t < n; t++)
        {
            inputs[t] = sequence.Ids[t];
            labels[t] = Ignore;
            if (sequence.Special[t])
                continue;
            var chosen = wholeWords && !sequence.WordStart[t] ? chosenWord : random.NextDouble() < probability;
            chosenWord = chosen;
            if (!chosen)
                continue;
            labels[t] = sequence.Ids[t];
            var action = random.NextDouble();
            if (action < 0.8)
                inputs[t] = maskId;
            else if (action < 0.9)
                inputs[t] = random.Next(vocabularySize);
        }
        return new MaskedSequence(inputs, labels);
    }

    /// <summary>The generator for one sequence in one epoch: same seed, epoch and index, same mask.</summary>
    public static Random For(long seed, int epoch, int index) => new(Seeds.Of(seed, epoch, index, 0x3a5c));
}
