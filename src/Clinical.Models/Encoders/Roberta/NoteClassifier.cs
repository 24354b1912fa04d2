using Clinical.Models.Runtime;
using Clinical.Models.Text;
using Clinical.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Encoders.Roberta;

public sealed record NoteClassifierOptions
{
    /// <summary>The label whose probability is reported; null means label 1 of a two-label model.</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>
    /// Tokens per window, &lt;s&gt; and &lt;/s&gt; included; null means all the model's positions allow (512 for 514
    /// positions).
    /// </summary>
    public int? WindowTokens { get; init; }

    /// <summary>
    /// Content tokens shared by consecutive windows; at most half a window (short-window models, e.g. 128 positions,
    /// get half).
    /// </summary>
    public int Overlap { get; init; } = 128;

    /// <summary>Which windows are read: all (default), those around HF mentions, or the first.</summary>
    public WindowSelection Selection { get; init; } = WindowSelection.All;

    /// <summary>The most windows per note with <see cref="WindowSelection.Mentions"/>.</summary>
    public int MaxWindows { get; init; } = 8;

    /// <summary>Whether mentions are marked with their assertion before tokenisation, as in training.</summary>
    public MentionMarking Marking { get; init; } = MentionMarking.None;

    /// <summary>The options a model card's window policy asks for (the defaults when it has none).</summary>
    public static NoteClassifierOptions For(WindowPolicy? policy) =>
        policy is null
            ? new NoteClassifierOptions()
            : new NoteClassifierOptions
            {
                WindowTokens = policy.WindowTokens,
                Overlap = policy.Overlap,
                Selection = policy.Selection,
                MaxWindows = policy.MaxWindows,
                Marking = policy.Marking,
            };

    public int BatchSize { get; init; } = 16;

    public ScoreAggregation NoteAggregation { get; init; } = ScoreAggregation.Max;

    public ScoreAggregation PatientAggregation { get; init; } = ScoreAggregation.Max;
}

/// <summary>
/// A fine-tuned RoBERTa note classifier loaded from a Hugging Face folder (tokenizer, weights, labels).
/// Long notes are scored window by window and aggregated per note and per patient; every score keeps
/// the window and token character spans that drove it.
/// </summary>
public sealed class NoteClassifier : IDisposable
{
    private readonly RobertaForSequenceClassification _model;
    private readonly int _positive;
    private readonly int _windowContentTokens;
    private readonly int _overlap;

    private NoteClassifier(
        RobertaForSequenceClassification model,
        NoteTokenizer tokenizer,
        ComputeTarget target,
        NoteClassifierOptions options
    )
    {
        _model = model;
        Tokenizer = tokenizer;
        Target = target;
        Options = options;
        var config = model.Config;
        _positive =
            options.PositiveLabel is { } label ? config.LabelId(label)
            : config.NumLabels == 2 ? 1
            : throw new ArgumentException(
                $"The model has {config.NumLabels} labels ({string.Join(", ", config.Id2Label.Values)}); "
                    + "name the positive one.",
                nameof(options)
            );
        var windowTokens = options.WindowTokens ?? config.MaxSequenceLength;
        if (windowTokens > config.MaxSequenceLength)
            throw new ArgumentException(
                $"Windows of {windowTokens} tokens exceed the model's {config.MaxSequenceLength} positions.",
                nameof(options)
            );
        _windowContentTokens = windowTokens - tokenizer.SpecialTokenCount;
        _overlap = Math.Min(options.Overlap, _windowContentTokens / 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxWindows, 1, nameof(options));
        Windows = new WindowPolicy(
            options.Selection,
            _windowContentTokens + tokenizer.SpecialTokenCount,
            _overlap,
            options.MaxWindows,
            options.Marking
        );
    }

    public NoteTokenizer Tokenizer { get; }

    public ComputeTarget Target { get; }

    public NoteClassifierOptions Options { get; }

    public RobertaConfig Config => _model.Config;

    public string PositiveLabel => Config.Id2Label[_positive];

    /// <summary>How this classifier chooses the windows of a note.</summary>
    public WindowPolicy Windows { get; }

    /// <summary>
    /// Temperature scaling and operating threshold from the folder's model-card.json (T = 1 and 0.5 when it has none).
    /// The window policy comes from the card too, unless options are given.
    /// Every logit this classifier reports is already divided by the temperature, so every probability is calibrated.
    /// </summary>
    public Calibration Calibration { get; private init; } = Calibration.None;

    /// <summary>
    /// Loads the folder on the target's device in the target's precision; a target from
    /// <see cref="ComputeTarget.ForInference"/> that leaves the precision to the model gets the card's validated one.
    /// </summary>
    public static NoteClassifier Load(string directory, ComputeTarget target, NoteClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        target = target.ForModel(ModelCard.ReadValidatedPrecision(directory));
        var calibration = ModelCard.ReadCalibration(directory);
        var tokenizer = NoteTokenizer.Load(directory);
        var model = RobertaCheckpoint.Load(directory, target);
        var mismatch =
            tokenizer.Special.Pad != model.Config.PadTokenId
                ? $"the tokenizer's pad id {tokenizer.Special.Pad} differs from config.json's pad_token_id "
                    + $"{model.Config.PadTokenId}"
            : tokenizer.VocabularySize > model.Config.VocabSize
                ? $"the tokenizer has {tokenizer.VocabularySize} ids but config.json's vocab_size is "
                    + $"{model.Config.VocabSize}"
            : null;
        if (mismatch is not null)
        {
            model.Dispose();
            throw new TokenizerFilesException($"{directory}: {mismatch}.");
        }
        return new NoteClassifier(
            model,
            tokenizer,
            target,
            options ?? NoteClassifierOptions.For(ModelCard.ReadWindows(directory))
        )
        {
            Calibration = calibration,
        };
    }

    /// <summary>Each note's positive-label probability, with the window that drove it.</summary>
    public IReadOnlyList<NoteScore> Classify(
        IReadOnlyList<string> notes,
        CancellationToken cancellationToken = default
    ) => ClassifyGroups([notes], cancellationToken)[0];

    /// <summary>A patient's positive-label probability over all their notes.</summary>
    public PatientScore ClassifyPatient(IReadOnlyList<string> notes, CancellationToken cancellationToken = default)
    {
        if (notes.Count == 0)
            throw new ArgumentException("A patient score needs at least one note.", nameof(notes));
        return ClassifyPatients([notes], cancellationToken)[0]!;
    }

    /// <summary>
    /// Many patients in one pass: the windows of every patient's notes are batched together, longest first, so the
    /// short notes of many patients share forward passes (a cohort's batch). Null for a patient without notes.
    /// Safe to call from several threads at once: the model is only read, under per-thread inference mode and
    /// dispose scopes. A cancelled token stops the work within one forward batch.
    /// </summary>
    public IReadOnlyList<PatientScore?> ClassifyPatients(
        IReadOnlyList<IReadOnlyList<string>> patients,
        CancellationToken cancellationToken = default
    ) => ClassifyGroups(patients, cancellationToken).Select(notes => notes.Count == 0 ? null : Combine(notes)).ToList();

    private PatientScore Combine(IReadOnlyList<NoteScore> scores)
    {
        var parts = scores.Select(s => s.Logits).ToList();
        var logits = Scores.Aggregate(parts, _positive, Options.PatientAggregation);
        return new PatientScore(
            Scores.Probability(logits, _positive),
            logits,
            scores[Scores.Driving(parts, _positive)],
            scores
        );
    }

    /// <summary>
    /// Per group of notes (a patient's), each note's score; all groups' windows run through one batch.
    /// </summary>
    private List<IReadOnlyList<NoteScore>> ClassifyGroups(
        IReadOnlyList<IReadOnlyList<string>> groups,
        CancellationToken cancellationToken
    )
    {
        // Notes are numbered across groups; group g's notes start at firstNote[g].
        var notes = groups.SelectMany(g => g).ToList();
        var firstNote = new int[groups.Count];
        for (var g = 1; g < groups.Count; g++)
            firstNote[g] = firstNote[g - 1] + groups[g - 1].Count;
        // Reading a note (the clinical-language layer, tokenisation, windows) is managed code independent per note:
        // spread over the cores, it no longer holds a cohort batch's forward passes back on one.
        var read = new (int Note, EncodedText Content, NoteWindow Window, IReadOnlyList<int> Ids)[notes.Count][];
        Parallel.For(
            0,
            notes.Count,
            new ParallelOptions
            {
                MaxDegreeOfParallelism = Math.Max(1, CpuThreads.Applied * CpuThreads.SideBySide),
                CancellationToken = cancellationToken,
            },
            n =>
            {
                var (content, noteWindows) = Windows.Read(Tokenizer, notes[n], _windowContentTokens);
                read[n] = noteWindows
                    .Select(w => (n, content, w, Tokenizer.AddSpecialTokens(NoteWindows.Slice(content, w)).Ids))
                    .ToArray();
            }
        );
        var windows = read.SelectMany(w => w).ToList();
        var logits = Run(windows.Select(w => w.Ids).ToList(), cancellationToken);

        var byNote = windows
            .Select(
                (w, i) =>
                    (
                        w.Note,
                        Score: new WindowScore(
                            w.Window,
                            logits[i],
                            Scores.Probability(logits[i], _positive),
                            w.Content.Offsets.Skip(w.Window.FirstToken).Take(w.Window.TokenCount).ToList()
                        )
                    )
            )
            .ToLookup(x => x.Note, x => x.Score);
        return groups
            .Select(
                (group, g) => Enumerable.Range(0, group.Count).Select(k => ScoreNote(k, [.. byNote[firstNote[g] + k]]))
            )
            .Select(IReadOnlyList<NoteScore> (scores) => scores.ToList())
            .ToList();
    }

    /// <summary>
    /// A note's score from its windows' (aggregated per <see cref="NoteClassifierOptions.NoteAggregation"/>).
    /// </summary>
    private NoteScore ScoreNote(int index, IReadOnlyList<WindowScore> windows)
    {
        var parts = windows.Select(s => s.Logits).ToList();
        var logits = Scores.Aggregate(parts, _positive, Options.NoteAggregation);
        return new NoteScore(
            index,
            Scores.Probability(logits, _positive),
            logits,
            windows[Scores.Driving(parts, _positive)],
            windows
        );
    }

    /// <summary>
    /// Which parts of a note's driving window moved its score, by occlusion (Zeiler and Fergus, 2014):
    /// the window is cut into chunks of chunkTokens tokens, each chunk in turn is replaced by the mask
    /// token, and the drop in positive-label log-odds is reported per chunk, largest first.
    /// </summary>
    public IReadOnlyList<EvidenceSpan> Explain(string note, NoteScore score, int chunkTokens = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkTokens, 1);
        var hide = Tokenizer.Special.Mask ?? SpecialTokens.Require(Tokenizer.Special.Unk, "mask or unknown");
        var window = NoteWindows.Slice(Windows.Encode(Tokenizer, note), score.DrivingWindow.Window);
        if (window.Count == 0)
            return [];

        var chunks = Enumerable
            .Range(0, (window.Count + chunkTokens - 1) / chunkTokens)
            .Select(c => (Start: c * chunkTokens, End: Math.Min(window.Count, (c + 1) * chunkTokens)))
            .ToList();
        var sequences = new List<IReadOnlyList<int>> { Tokenizer.AddSpecialTokens(window).Ids };
        foreach (var (start, end) in chunks)
        {
            var ids = window.Ids.Select((id, i) => i >= start && i < end ? hide : id).ToList();
            sequences.Add(Tokenizer.AddSpecialTokens(window with { Ids = ids }).Ids);
        }
        var logits = Run(sequences);
        var baseline = Scores.LogOdds(logits[0], _positive);
        return chunks
            .Select(
                (chunk, c) =>
                    new EvidenceSpan(
                        TextSpan.Cover(window.Offsets[chunk.Start], window.Offsets[chunk.End - 1]),
                        baseline - Scores.LogOdds(logits[c + 1], _positive)
                    )
            )
            .OrderByDescending(e => e.LogOddsDrop)
            .ToList();
    }

    /// <summary>
    /// Logits per sequence, computed in batches of similar length (longest first) under inference mode; the token is
    /// checked before each batch, so a cancelled request stops within one batch.
    /// </summary>
    private float[][] Run(List<IReadOnlyList<int>> sequences, CancellationToken cancellationToken = default)
    {
        var results = new float[sequences.Count][];
        var order = Enumerable.Range(0, sequences.Count).OrderByDescending(i => sequences[i].Count).ToArray();
        var batches = (order.Length + Options.BatchSize - 1) / Options.BatchSize;
        // Side by side on the CPU in throughput mode (CpuThreads.Plan); inference mode is per thread.
        var sideBySide = Target.Device.type == DeviceType.CPU ? CpuThreads.SideBySide : 1;
        Parallel.For(
            0,
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = sideBySide, CancellationToken = cancellationToken },
            () => inference_mode(),
            (k, _, inference) =>
            {
                var start = k * Options.BatchSize;
                RunBatch(
                    sequences,
                    order.AsSpan(start, Math.Min(Options.BatchSize, order.Length - start)).ToArray(),
                    results
                );
                return inference;
            },
            inference => inference.Dispose()
        );
        return results;
    }

    private void RunBatch(List<IReadOnlyList<int>> sequences, int[] batch, float[][] results)
    {
        using var scope = NewDisposeScope();
        var pad = Config.PadTokenId;
        var length = sequences[batch[0]].Count;
        var ids = new long[batch.Length * length];
        var mask = new long[batch.Length * length];
        for (var b = 0; b < batch.Length; b++)
        {
            var sequence = sequences[batch[b]];
            for (var t = 0; t < length; t++)
            {
                ids[b * length + t] = t < sequence.Count ? sequence[t] : pad;
                mask[b * length + t] = t < sequence.Count ? 1 : 0;
            }
        }
        var input_ids = tensor(ids, [batch.Length, length], device: Target.Device);
        var attention_mask = tensor(mask, [batch.Length, length], device: Target.Device);
        var output = _model
            .call(input_ids, attention_mask)
            .to(ScalarType.Float32)
            .div(Calibration.Temperature)
            .cpu()
            .data<float>()
            .ToArray();
        for (var b = 0; b < batch.Length; b++)
            results[batch[b]] = output.AsSpan(b * Config.NumLabels, Config.NumLabels).ToArray();
    }

    public void Dispose() => _model.Dispose();
}
