using Clinical.Models.Text;
using Clinical.Models.Training;

namespace Clinical.DevTools.Benchmarks;

/// <summary>
/// The window lengths (special tokens included) that a note corpus's texts give under a tokenizer and a window size:
/// what the encoder really runs on. Read at run time from the corpus file; nothing of the corpus is kept.
/// </summary>
public sealed record CorpusWindows(string Source, int Notes, IReadOnlyList<int> Lengths)
{
    public double MeanLength => Lengths.Average();

    /// <param name="corpus">JSON Lines of {"id", "text", "label"} (e.g. shared/corpus/dev.jsonl).</param>
    /// <param name="tokenizerFolder">A Hugging Face folder with the tokenizer to count tokens with.</param>
    /// <param name="windowTokens">Tokens per window, special tokens included (512 for 514 positions).</param>
    /// <param name="overlap">Content tokens shared by consecutive windows, as NoteClassifier reads notes.</param>
    /// <param name="sample">How many notes, spread evenly over the file; null: all.</param>
    public static CorpusWindows Read(
        string corpus,
        string tokenizerFolder,
        int windowTokens = 512,
        int overlap = 128,
        int? sample = null
    )
    {
        var tokenizer = NoteTokenizer.Load(tokenizerFolder);
        var notes = LabelledNotes.Read(corpus).ToList();
        var step = sample is { } wanted && wanted < notes.Count ? (double)notes.Count / wanted : 1;
        var chosen = Enumerable
            .Range(0, (int)Math.Round(notes.Count / step))
            .Select(i => notes[(int)(i * step)])
            .ToList();
        var content = windowTokens - tokenizer.SpecialTokenCount;
        var lengths = chosen
            .SelectMany(note =>
                NoteWindows
                    .Split(tokenizer.Encode(note.Text), content, Math.Min(overlap, content / 2))
                    .Select(w => w.TokenCount + tokenizer.SpecialTokenCount)
            )
            .ToList();
        return new CorpusWindows($"{Path.GetFileName(corpus)} (tokens: {tokenizerFolder})", chosen.Count, lengths);
    }
}
