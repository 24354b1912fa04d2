using Clinical.Models.Evaluation;
using Clinical.Models.Runtime;
using Clinical.Models.Text;
using Clinical.Models.Training;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Training;

[Collection(SerialTorchRandom.Name)]
public sealed class WindowTrainingTests
{
    private static TrainingLog Quiet => new(TextWriter.Null, isTerminal: false, everySteps: 1);

    [Fact]
    public void Given_window_logits_of_three_notes_When_pooled_Then_each_note_takes_its_most_positive_window()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0, 1, 0, -2, 3, 0, 0, 4, 1, 1 }, [5, 2]);

        var notes = TrainingBatches.NoteLogOdds(logits, [(0, 2), (2, 2), (4, 1)]);

        Assert.Equal([1f, 4f, 0f], notes.data<float>().ToArray());
    }

    [Fact]
    public void Given_mention_windows_When_fine_tuning_Then_the_card_keeps_the_policy_and_inference_reads_the_same()
    {
        using var temp = new TempFolder();
        var filler = string.Join(' ', Enumerable.Repeat("Control de tensión sin cambios.", 12));
        var data = TinyTraining.Data() with
        {
            Train = [.. TinyTraining.Data().Train.Select(n => n with { Text = $"{filler} {n.Text}" })],
        };
        var options = TinyTraining.Options with { Windows = WindowSelection.Mentions, MaxWindows = 2, MaxLength = 24 };

        var card = FineTuning.Run(
            data,
            ModelStart.Scratch(TinyTraining.ConfigFile(temp.Path)),
            options,
            temp.Sub("model"),
            ComputeTarget.Cpu,
            resume: false,
            Quiet
        );

        Assert.Equal(new WindowPolicy(WindowSelection.Mentions, 24, 11, 2), card.Windows);
        Assert.Equal(card.Windows, ModelCard.ReadWindows(temp.Sub("model")));
        using var classifier = NoteScoring.Load(temp.Sub("model"), ComputeTarget.Cpu);
        Assert.Equal(card.Windows, classifier.Windows);
        var score = classifier.Classify([$"{filler} Refiere ortopnea y edemas en MMII."]).Single();
        Assert.Contains("ortopnea", score.DrivingWindow.Window.Span.Of($"{filler} Refiere ortopnea y edemas en MMII."));
    }

    [Fact]
    public void Given_assertion_marking_When_fine_tuning_Then_the_card_keeps_it_and_inference_marks_notes_the_same()
    {
        using var temp = new TempFolder();
        var options = TinyTraining.Options with { MentionMarking = MentionMarking.Assertions, MaxLength = 32 };

        var card = FineTuning.Run(
            TinyTraining.Data(),
            ModelStart.Scratch(TinyTraining.ConfigFile(temp.Path)),
            options,
            temp.Sub("model"),
            ComputeTarget.Cpu,
            resume: false,
            Quiet
        );

        Assert.Equal(MentionMarking.Assertions, card.Windows?.Marking);
        Assert.Equal(card.Windows, ModelCard.ReadWindows(temp.Sub("model")));
        using var classifier = NoteScoring.Load(temp.Sub("model"), ComputeTarget.Cpu);
        Assert.Equal(card.Windows, classifier.Windows);
        const string note = "Niega ortopnea.";
        var score = classifier.Classify([note]).Single();
        var marked = classifier.Windows.Encode(classifier.Tokenizer, note);
        Assert.True(marked.Count > classifier.Tokenizer.Encode(note).Count);
        Assert.Equal(marked.Offsets, score.DrivingWindow.TokenSpans);
    }
}
