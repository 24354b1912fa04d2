namespace Clinical.Models.Text;

/// <summary>
/// The BPE training loop of Sennrich et al. (2016): count adjacent symbol pairs over a word-frequency
/// table, merge the most frequent pair everywhere, repeat. Ties go to the ordinally smallest pair, so
/// the same texts always give the same merges. Pair counts are kept up to date incrementally (only the
/// words holding the merged pair are recounted, as Hugging Face tokenizers does), so a vocabulary of
/// thousands of merges over a corpus of megabytes takes seconds, not hours.
/// </summary>
public static class BpeMergeLearner
{
    public static List<(string Left, string Right)> Learn(
        IEnumerable<(List<string> Symbols, int Count)> words,
        int maxMerges,
        int minFrequency,
        Func<string, bool>? mergeable = null
    )
    {
        var table = words.ToList();
        var counts = new Dictionary<(string, string), long>();
        var holders = new Dictionary<(string, string), HashSet<int>>();
        var ranking = new SortedSet<(long Count, string Left, string Right)>(RankOrder.Instance);

        void Change((string, string) pair, long delta, int word)
        {
            var old = counts.GetValueOrDefault(pair);
            if (old > 0)
                ranking.Remove((old, pair.Item1, pair.Item2));
            var now = old + delta;
            if (now > 0)
            {
                counts[pair] = now;
                ranking.Add((now, pair.Item1, pair.Item2));
            }
            else
            {
                counts.Remove(pair);
            }
            if (delta > 0)
            {
                if (!holders.TryGetValue(pair, out var set))
                    holders[pair] = set = [];
                set.Add(word);
            }
        }

        void Count(int word, int sign)
        {
            var (symbols, count) = table[word];
            for (var i = 0; i + 1 < symbols.Count; i++)
            {
                if (mergeable is not null && (!mergeable(symbols[i]) || !mergeable(symbols[i + 1])))
                    continue;
                Change((symbols[i], symbols[i + 1]), sign * (long)count, word);
            }
        }

        for (var w = 0; w < table.Count; w++)
            Count(w, +1);
        var merges = new List<(string, string)>();
        while (merges.Count < maxMerges && ranking.Count > 0)
        {
            var best = ranking.Min;
            if (best.Count < minFrequency)
                break;
            var pair = (best.Left, best.Right);
            merges.Add(pair);
            foreach (var word in holders[pair].Order().ToList())
            {
                Count(word, -1);
                Apply(table[word].Symbols, pair);
                Count(word, +1);
            }
            holders.Remove(pair);
        }
        return merges;
    }

    private static void Apply(List<string> symbols, (string Left, string Right) merge)
    {
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            if (symbols[i] == merge.Left && symbols[i + 1] == merge.Right)
            {
                symbols[i] = merge.Left + merge.Right;
                symbols.RemoveAt(i + 1);
            }
        }
    }

    /// <summary>Most frequent first, then the ordinally smallest pair.</summary>
    private sealed class RankOrder : IComparer<(long Count, string Left, string Right)>
    {
        public static readonly RankOrder Instance = new();

        public int Compare((long Count, string Left, string Right) x, (long Count, string Left, string Right) y)
        {
            var byCount = y.Count.CompareTo(x.Count);
            if (byCount != 0)
                return byCount;
            var byLeft = string.CompareOrdinal(x.Left, y.Left);
            return byLeft != 0 ? byLeft : string.CompareOrdinal(x.Right, y.Right);
        }
    }
}
