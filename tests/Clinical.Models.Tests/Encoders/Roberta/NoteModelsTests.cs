using Clinical.DevTools.Checkpoints;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Scoring;
using Clinical.Models.Tests.Scoring.Evidence;
using Clinical.Models.Tests.Training;

namespace Clinical.Models.Tests.Encoders.Roberta;

public sealed class NoteModelsTests : IDisposable
{
    private const string Spanish = "Refiere disnea de esfuerzo y ortopnea. Edemas maleolares bilaterales.";
    private const string Catalan = "Refereix dispnea d'esforç i ortopnea. Edemes mal·leolars bilaterals.";
    private readonly TinyRoberta _spanish = new();
    private readonly TempFolder _catalan = new();

    public NoteModelsTests() => TinyAliaEncoders.WriteRobertaCa(_catalan.Path);

    public void Dispose()
    {
        _spanish.Dispose();
        _catalan.Dispose();
    }

    private NoteModels Load(bool withDefault = true) =>
        NoteModels.Load(
            withDefault ? _spanish.Directory : null,
            new Dictionary<string, string> { ["ca"] = _catalan.Path },
            ComputeTarget.Cpu
        );

    [Fact]
    public void Given_notes_in_two_languages_When_a_patient_is_scored_Then_each_note_is_read_by_its_language_model()
    {
        using var models = Load();
        using var spanishAlone = NoteClassifier.Load(_spanish.Directory, ComputeTarget.Cpu);
        using var catalanAlone = NoteClassifier.Load(_catalan.Path, ComputeTarget.Cpu);

        var score = models.ClassifyPatient([(Catalan, "ca"), (Spanish, "es"), (Catalan + " Visita 2.", "ca")])!;

        Assert.Equal([0, 1, 2], score.Notes.Select(n => n.NoteIndex));
        Assert.Equal(catalanAlone.Classify([Catalan])[0].Probability, score.Notes[0].Probability, 1e-6);
        Assert.Equal(spanishAlone.Classify([Spanish])[0].Probability, score.Notes[1].Probability, 1e-6);
        var catalanPatient = catalanAlone.ClassifyPatient([Catalan, Catalan + " Visita 2."]).Probability;
        var spanishPatient = spanishAlone.ClassifyPatient([Spanish]).Probability;
        Assert.Equal(Math.Max(catalanPatient, spanishPatient), score.Probability, 1e-6);
        Assert.Equal(catalanPatient > spanishPatient ? "ca" : "es", score.DrivingNote.NoteIndex == 1 ? "es" : "ca");
        Assert.Equal(
            "ca: " + Path.GetFileName(_catalan.Path) + "; default: " + Path.GetFileName(_spanish.Directory),
            models.Describe()
        );
    }

    [Fact]
    public void Given_no_default_model_When_a_note_has_no_language_model_Then_it_is_not_scored()
    {
        using var models = Load(withDefault: false);

        var scores = models.Classify([(Spanish, "es"), (Catalan, "ca")]);

        Assert.Null(scores[0]);
        Assert.NotNull(scores[1]);
        Assert.Null(models.ClassifyPatient([(Spanish, "es")]));
    }

    [Fact]
    public void Given_a_language_that_is_not_an_iso_code_When_loaded_Then_it_is_refused_naming_it()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            NoteModels.Load(null, new Dictionary<string, string> { ["catalan"] = _catalan.Path }, ComputeTarget.Cpu)
        );

        Assert.Contains(
            "'catalan' is not a two-letter ISO 639-1 language code",
            error.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Given_a_catalan_model_When_a_patient_with_catalan_notes_is_assessed_Then_the_engine_uses_it()
    {
        using var engine = new RiskEngine(null, Load(), StackedCombiner.Default);
        using var catalanAlone = NoteClassifier.Load(_catalan.Path, ComputeTarget.Cpu);
        var input = GuidelineEvidenceTests.Patient(peptides: [GuidelineEvidenceTests.NtProBnp(300)]) with
        {
            Notes = [new NoteText(Catalan, "ca", GuidelineEvidenceTests.MonthsAgo(1), "DocumentReference/c")],
        };

        var estimate = engine.Assess(input);

        var notes = Assert.Single(estimate.Components, c => c.Component == "notes");
        Assert.Equal(catalanAlone.ClassifyPatient([Catalan]).Probability, notes.Probability!.Value, 1e-6);
        Assert.Contains("ca: " + Path.GetFileName(_catalan.Path), notes.Detail, StringComparison.Ordinal);
    }
}
