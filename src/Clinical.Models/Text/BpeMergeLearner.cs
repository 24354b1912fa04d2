namespace Clinical.Models.Text;

/// <summary>
/// The BPE training loop of Sennrich et al. (2016): count adjacent symbol pairs over a word-frequency
/// table, merge the most frequent pair everywhere, repeat. Ties go to the ordinally smallest pair, so
/// the same texts always give the same merges.
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
        var merges = new List<(string, string)>();
        while (merges.Count < maxMerges)
        {
            var pairs = new Dictionary<(string, string), int>();
            foreach (var (symbols, count) in table)
            {
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    if (mergeable is not null && (!mergeable(symbols[i]) || !mergeable(symbols[i + 1])))
                        continue;
                    var pair = (symbols[i], symbols[i + 1]);
                    pairs[pair] = pairs.GetValueOrDefault(pair) + count;
                }
            }
            if (pairs.Count == 0)
                break;
            var best = pairs
                .OrderByDescending(p => p.Value)
                .ThenBy(p => p.Key.Item1, StringComparer.Ordinal)
                .ThenBy(p => p.Key.Item2, StringComparer.Ordinal)
                .First();
            if (best.Value < minFrequency)
                break;
            merges.Add(best.Key);
            foreach (var (symbols, _) in table)
                Apply(symbols, best.Key);
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
}
