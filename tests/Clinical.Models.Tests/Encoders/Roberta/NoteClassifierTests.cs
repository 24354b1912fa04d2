using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Tests.Text;
using Clinical.Models.Text;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Encoders.Roberta;

public sealed class NoteClassifierTests : IDisposable
{
    private static readonly string LongNote = string.Join(
        "\n",
        Enumerable.Repeat(ClinicalTexts.Corpus, 12).SelectMany(c => c)
    );

    private readonly TinyRoberta _tiny = new();

    public void Dispose() => _tiny.Dispose();

    [Fact]
    public void Given_note_longer_than_512_tokens_When_classified_Then_every_window_is_scored()
    {
        foreach (var target in ComputeTarget.Available())
        {
            using var classifier = NoteClassifier.Load(_tiny.Directory, target);
            var content = classifier.Tokenizer.Encode(LongNote);
            Assert.True(content.Count > 1000, $"the note has only {content.Count} tokens");

            var score = Assert.Single(classifier.Classify([LongNote]));

            var expected = NoteWindows.Split(content, 510, 128);
            Assert.Equal(expected, score.Windows.Select(w => w.Window));
            Assert.All(score.Windows, w => Assert.InRange(w.Probability, 0, 1));
            var best = score.Windows.MaxBy(w => w.Probability)!;
            Assert.Equal(best.Window, score.DrivingWindow.Window);
            Assert.Equal(best.Probability, score.Probability, 1e-9);
            Assert.Equal(
                score.DrivingWindow.Window.Span,
                TextSpan.Cover(score.DrivingWindow.TokenSpans[0], score.DrivingWindow.TokenSpans[^1])
            );
        }
    }

    [Fact]
    public void Given_a_window_When_scored_Then_its_logits_are_the_model_logits_for_that_window_alone()
    {
        using var classifier = NoteClassifier.Load(_tiny.Directory, ComputeTarget.Cpu);
        var window = classifier.Classify([LongNote])[0].Windows[1];
        var content = classifier.Tokenizer.Encode(LongNote);
        var ids = classifier
            .Tokenizer.AddSpecialTokens(NoteWindows.Slice(content, window.Window))
            .Ids.Select(i => (long)i)
            .ToArray();

        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        using var model = RobertaCheckpoint.Load(_tiny.Directory, ComputeTarget.Cpu);
        var logits = model
            .call(tensor(ids).unsqueeze(0), ones(1, ids.Length, ScalarType.Int64))
            .data<float>()
            .ToArray();

        Assert.Equal(512, ids.Length);
        for (var j = 0; j < logits.Length; j++)
            Assert.Equal(logits[j], window.Logits[j], 1e-5);
    }

    [Fact]
    public void Given_notes_of_different_lengths_When_classified_together_Then_each_score_equals_classifying_it_alone()
    {
        using var classifier = NoteClassifier.Load(
            _tiny.Directory,
            ComputeTarget.Cpu,
            new NoteClassifierOptions { BatchSize = 2 }
        );
        string[] notes = ["Niega disnea.", ClinicalTexts.Corpus[0], ClinicalTexts.Tricky, ""];

        var together = classifier.Classify(notes);

        for (var i = 0; i < notes.Length; i++)
        {
            var alone = classifier.Classify([notes[i]])[0];
            Assert.Equal(i, together[i].NoteIndex);
            Assert.Equal(alone.Probability, together[i].Probability, 1e-5);
        }
        Assert.NotEqual(together[0].Probability, together[1].Probability, 1e-4);
    }

    [Fact]
    public void Given_mean_aggregation_When_a_long_note_is_classified_Then_the_note_logits_are_the_window_mean()
    {
        using var classifier = NoteClassifier.Load(
            _tiny.Directory,
            ComputeTarget.Cpu,
            new NoteClassifierOptions { NoteAggregation = ScoreAggregation.Mean }
        );

        var score = classifier.Classify([LongNote])[0];

        for (var j = 0; j < 2; j++)
            Assert.Equal(score.Windows.Average(w => w.Logits[j]), score.Logits[j], 1e-5);
    }

    [Fact]
    public void Given_patient_notes_When_classified_with_max_Then_the_patient_score_is_the_highest_note_and_names_it()
    {
        using var classifier = NoteClassifier.Load(_tiny.Directory, ComputeTarget.Cpu);
        string[] notes = [ClinicalTexts.Corpus[0], ClinicalTexts.Corpus[3], ClinicalTexts.Corpus[4]];

        var patient = classifier.ClassifyPatient(notes);

        var best = patient.Notes.MaxBy(n => n.Probability)!;
        Assert.Equal(best.NoteIndex, patient.DrivingNote.NoteIndex);
        Assert.Equal(best.Probability, patient.Probability, 1e-9);
        Assert.Equal("heart_failure", classifier.PositiveLabel);
    }
}

public sealed class NoteEvidenceTests : IDisposable
{
    private readonly TinyRoberta _tiny = new();

    public void Dispose() => _tiny.Dispose();

    [Fact]
    public void Given_classified_note_When_explained_Then_chunks_of_the_driving_window_are_ranked_by_log_odds_drop()
    {
        using var classifier = NoteClassifier.Load(_tiny.Directory, ComputeTarget.Cpu);
        var note = string.Join(" ", ClinicalTexts.Corpus);
        var score = classifier.Classify([note])[0];

        var evidence = classifier.Explain(note, score, chunkTokens: 16);

        var window = score.DrivingWindow.Window;
        Assert.Equal((window.TokenCount + 15) / 16, evidence.Count);
        Assert.Equal(evidence.OrderByDescending(e => e.LogOddsDrop), evidence);
        var ordered = evidence.Select(e => e.Span).OrderBy(s => s.Start).ToList();
        Assert.Equal(window.Span.Start, ordered[0].Start);
        Assert.Equal(window.Span.End, ordered[^1].End);
        // Spans are trimmed as Hugging Face trims RoBERTa's (no spaces at a token's ends), so consecutive chunks are
        // separated by spaces at most.
        for (var i = 1; i < ordered.Count; i++)
            Assert.True(
                note[ordered[i - 1].End..ordered[i].Start].All(c => c == ' '),
                $"chunks {i - 1} and {i}: {ordered[i - 1]} then {ordered[i]}"
            );
        Assert.Contains(evidence, e => Math.Abs(e.LogOddsDrop) > 1e-4);
    }

    [Fact]
    public void Given_top_evidence_When_that_span_is_masked_by_hand_Then_the_log_odds_drop_is_reproduced()
    {
        using var classifier = NoteClassifier.Load(_tiny.Directory, ComputeTarget.Cpu);
        const string note =
            "Paciente de 78 anos con disnea de esfuerzo y ortopnea. Edemas en MMII. Niega dolor toracico.";
        var score = classifier.Classify([note])[0];
        var top = classifier.Explain(note, score, chunkTokens: 4)[0];

        var content = classifier.Tokenizer.Encode(note);
        var mask = classifier.Tokenizer.Special.Mask!.Value;
        // The chunk of 4 tokens whose span is the top evidence (a token of spaces alone has an empty span, so tokens
        // are chosen by position, not by span).
        var window = score.DrivingWindow.Window;
        var first = Enumerable
            .Range(0, (window.TokenCount + 3) / 4)
            .Select(c => window.FirstToken + c * 4)
            .Single(start =>
                TextSpan.Cover(
                    content.Offsets[start],
                    content.Offsets[Math.Min(start + 4, window.FirstToken + window.TokenCount) - 1]
                ) == top.Span
            );
        var hidden = content.Ids.Select((id, i) => i >= first && i < first + 4 ? mask : id).ToList();
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        using var model = RobertaCheckpoint.Load(_tiny.Directory, ComputeTarget.Cpu);
        double LogOdds(IReadOnlyList<int> ids)
        {
            var input = tensor(
                    classifier.Tokenizer.AddSpecialTokens(content with { Ids = ids }).Ids.Select(i => (long)i).ToArray()
                )
                .unsqueeze(0);
            var logits = model.call(input, ones_like(input)).data<float>().ToArray();
            return logits[1] - logits[0];
        }

        Assert.Equal(LogOdds(content.Ids) - LogOdds(hidden), top.LogOddsDrop, 1e-4);
    }
}

public sealed class NoteClassifierLoadTests
{
    [Fact]
    public void Given_tokenizer_larger_than_the_model_vocabulary_When_loaded_Then_it_is_refused_naming_both_sizes()
    {
        using var tiny = new TinyRoberta();
        var config = File.ReadAllText(tiny.PathOf("config.json"))
            .Replace($"\"vocab_size\": {tiny.Config.VocabSize}", "\"vocab_size\": 300", StringComparison.Ordinal);
        File.WriteAllText(tiny.PathOf("config.json"), config);
        var checkpoint = SafetensorsFile.Open(tiny.PathOf("model.safetensors"));
        using (var scope = NewDisposeScope())
        {
            var state = checkpoint.Entries.Keys.ToDictionary(k => k, checkpoint.Read);
            state["roberta.embeddings.word_embeddings.weight"] = state["roberta.embeddings.word_embeddings.weight"]
                .narrow(0, 0, 300);
            SafetensorsWriter.Write(tiny.PathOf("model.safetensors"), state);
        }

        var error = Assert.Throws<TokenizerFilesException>(() =>
            NoteClassifier.Load(tiny.Directory, ComputeTarget.Cpu)
        );

        Assert.Contains($"{tiny.Config.VocabSize} ids", error.Message, StringComparison.Ordinal);
        Assert.Contains("vocab_size is 300", error.Message, StringComparison.Ordinal);
    }
}
