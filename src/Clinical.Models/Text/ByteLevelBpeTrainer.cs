using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Clinical.Models.Text;

/// <summary>
/// A byte-level BPE vocabulary in RoBERTa's layout: &lt;s&gt; &lt;pad&gt; &lt;/s&gt; &lt;unk&gt;, the 256 byte symbols,
/// merged symbols, &lt;mask&gt; last.
/// </summary>
public sealed record ByteLevelBpeVocabulary(IReadOnlyDictionary<string, int> Vocab, IReadOnlyList<string> Merges);

/// <summary>
/// Trains a byte-level BPE tokenizer (vocab.json + merges.txt, as Hugging Face tokenizers writes them)
/// on note texts, using the same pre-tokenization as encoding. Used for test fixtures and for
/// from-scratch tokenizers.
/// </summary>
public static class ByteLevelBpeTrainer
{
    public const string Bos = "<s>";
    public const string Pad = "<pad>";
    public const string Eos = "</s>";
    public const string Unk = "<unk>";
    public const string Mask = "<mask>";

    public static ByteLevelBpeVocabulary Train(IEnumerable<string> texts, int vocabularySize, int minFrequency = 2)
    {
        var leading = new[] { Bos, Pad, Eos, Unk };
        var fixedCount = leading.Length + 256 + 1;
        if (vocabularySize < fixedCount)
            throw new ArgumentOutOfRangeException(
                nameof(vocabularySize),
                $"A byte-level vocabulary needs at least {fixedCount} entries (specials and 256 bytes)."
            );

        var wordCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var (start, length) in RobertaPreTokenizer.Instance.PreTokenize(text))
            {
                var word = ByteLevelAlphabet.Encode(text.Substring(start, length));
                wordCounts[word] = wordCounts.GetValueOrDefault(word) + 1;
            }
        }
        var words = wordCounts.Select(w => (w.Key.Select(c => c.ToString()).ToList(), w.Value));
        var merges = BpeMergeLearner.Learn(words, vocabularySize - fixedCount, minFrequency);

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in leading)
            vocab[token] = vocab.Count;
        foreach (var c in ByteLevelAlphabet.Characters)
            vocab[c.ToString()] = vocab.Count;
        foreach (var (left, right) in merges)
            vocab.TryAdd(left + right, vocab.Count);
        vocab[Mask] = vocab.Count;
        return new ByteLevelBpeVocabulary(vocab, merges.Select(m => $"{m.Left} {m.Right}").ToList());
    }

    /// <summary>Writes vocab.json, merges.txt, special_tokens_map.json and tokenizer_config.json.</summary>
    public static void Save(ByteLevelBpeVocabulary vocabulary, string directory, int modelMaxLength = 512)
    {
        Directory.CreateDirectory(directory);
        var ordered = vocabulary.Vocab.OrderBy(kv => kv.Value).ToDictionary(kv => kv.Key, kv => kv.Value);
        File.WriteAllText(Path.Combine(directory, "vocab.json"), JsonSerializer.Serialize(ordered));
        File.WriteAllLines(Path.Combine(directory, "merges.txt"), vocabulary.Merges.Prepend("#version: 0.2"));
        var map = new Dictionary<string, string>
        {
            ["bos_token"] = Bos,
            ["eos_token"] = Eos,
            ["unk_token"] = Unk,
            ["sep_token"] = Eos,
            ["pad_token"] = Pad,
            ["cls_token"] = Bos,
            ["mask_token"] = Mask,
        };
        File.WriteAllText(Path.Combine(directory, "special_tokens_map.json"), JsonSerializer.Serialize(map));
        var config = new Dictionary<string, object>(map.Select(kv => KeyValuePair.Create(kv.Key, (object)kv.Value)))
        {
            ["tokenizer_class"] = "RobertaTokenizer",
            ["model_max_length"] = modelMaxLength,
            ["add_prefix_space"] = false,
            ["errors"] = "replace",
        };
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), JsonSerializer.Serialize(config));
    }
}
