using System.Text.Json;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Training;
using Clinical.Tests;

namespace Clinical.Models.Tests.Training;

public sealed class DemoModelTests
{
    private static string Folder => FixtureFiles.PathOf("models", "hf-note-classifier");

    [Fact]
    public void Given_the_bundled_demo_model_When_scoring_an_HF_note_and_a_healthy_note_Then_the_HF_note_scores_higher()
    {
        using var classifier = NoteClassifier.Load(Folder, ComputeTarget.Cpu);
        var scores = classifier.Classify([
            "Consulta por disnea de esfuerzo progresiva de 3 semanas de evolución. Ortopnea de 2 almohadas. "
                + "Edemas maleolares bilaterales. Nicturia de 2-3 veces.",
            "Vacunación antigripal. Asintomática. Control TA en 6 meses.",
        ]);

        Assert.Equal("heart_failure", classifier.PositiveLabel);
        Assert.True(
            scores[0].Probability > scores[1].Probability,
            $"HF note {scores[0].Probability:F3} vs healthy note {scores[1].Probability:F3}"
        );
    }

    [Fact]
    public void Given_the_bundled_demo_model_When_reading_its_card_Then_it_is_calibrated_and_not_for_clinical_use()
    {
        using var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, ModelCard.FileName)));
        Assert.Contains(
            "NOT FOR CLINICAL USE",
            card.RootElement.GetProperty("warning").GetString(),
            StringComparison.Ordinal
        );
        Assert.StartsWith(
            "sha256:",
            card.RootElement.GetProperty("data_fingerprint").GetString(),
            StringComparison.Ordinal
        );
        var calibration = ModelCard.ReadCalibration(Folder);
        Assert.NotEqual(Calibration.None, calibration);
        Assert.InRange(calibration.Threshold, 0, 1);
        Assert.True(calibration.DevNllAfter <= calibration.DevNllBefore);
    }
}
