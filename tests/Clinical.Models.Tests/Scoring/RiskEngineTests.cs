using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Runtime;
using Clinical.Models.Scoring;
using Clinical.Models.Scoring.Wording;
using Clinical.Models.Tests.Encoders.Roberta;
using Clinical.Models.Tests.Scoring.Evidence;
using Clinical.Models.Tests.Text;

namespace Clinical.Models.Tests.Scoring;

public sealed class RiskEngineTests
{
    private static readonly RiskEngine Engine = RiskEngine.RulesOnly();

    [Fact]
    public void Given_an_active_HF_diagnosis_When_assessed_Then_it_is_certain_with_the_diagnosis_as_evidence()
    {
        var input = GuidelineEvidenceTests.Patient(peptides: [GuidelineEvidenceTests.NtProBnp(40)]) with
        {
            HeartFailureDiagnoses =
            [
                new KnownDiagnosis("Insuficiencia cardiaca", GuidelineEvidenceTests.MonthsAgo(20), "Condition/ic"),
            ],
        };

        var estimate = Engine.Assess(input);

        Assert.Equal(RiskCategory.Certain, estimate.Category);
        Assert.Equal("Condition/ic", Assert.Single(estimate.Findings).Source);
    }

    [Fact]
    public void Given_a_patient_with_no_data_When_assessed_Then_it_is_low_with_low_confidence_and_says_what_is_missing()
    {
        var estimate = Engine.Assess(GuidelineEvidenceTests.Patient(age: 58));

        Assert.Equal(RiskCategory.Low, estimate.Category);
        Assert.Equal(Confidence.Low, estimate.Confidence);
        Assert.Contains(MissingData.Peptide, estimate.Missing);
        Assert.Contains("Confianza baja", RiskWording.Spanish.Explanation(estimate), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_raised_NT_proBNP_and_note_signs_When_assessed_Then_it_is_flagged_with_ranked_evidence()
    {
        const string note = "Refiere disnea de esfuerzo. EF: edemas en MMII.";
        var input = GuidelineEvidenceTests.Patient(age: 78, peptides: [GuidelineEvidenceTests.NtProBnp(1450)]) with
        {
            Notes = [new NoteText(note, "es", GuidelineEvidenceTests.MonthsAgo(1), "DocumentReference/n1")],
        };

        var estimate = Engine.Assess(input);

        Assert.True(estimate.Category >= RiskCategory.Moderate);
        Assert.Equal("Observation/n", estimate.Findings[0].Source);
        var explanation = RiskWording.Spanish.Explanation(estimate);
        Assert.Contains("NT-proBNP 1.450 pg/mL", explanation, StringComparison.Ordinal);
        Assert.Contains("disnea de esfuerzo y edemas en 1 nota", explanation, StringComparison.Ordinal);
        Assert.Contains(estimate.Components, c => c.Component == "rules" && c.Probability is > 0.5);
        Assert.Contains(estimate.Components, c => c.Component == "tabular" && c.Probability is null);
    }

    [Fact]
    public void Given_a_low_NT_proBNP_When_assessed_Then_it_is_not_flagged()
    {
        var estimate = Engine.Assess(
            GuidelineEvidenceTests.Patient(age: 52, peptides: [GuidelineEvidenceTests.NtProBnp(48)])
        );

        Assert.True(estimate.Category <= RiskCategory.Low);
        Assert.Equal(Confidence.Normal, estimate.Confidence);
    }
}

public sealed class RiskEngineWithNoteClassifierTests
{
    [Fact]
    public void Given_a_note_classifier_When_assessed_Then_its_probability_is_a_component_and_its_note_evidence()
    {
        using var tiny = new Clinical.Models.Tests.Encoders.Roberta.TinyRoberta();
        using var engine = new RiskEngine(
            null,
            Clinical.Models.Encoders.Roberta.NoteModels.Single(
                Clinical.Models.Encoders.Roberta.NoteClassifier.Load(
                    tiny.Directory,
                    Clinical.Models.Runtime.ComputeTarget.Cpu
                )
            ),
            StackedCombiner.Default
        );
        const string text = "Refiere disnea de esfuerzo y ortopnea. EF: crepitantes bibasales.";
        var input = GuidelineEvidenceTests.Patient(peptides: [GuidelineEvidenceTests.NtProBnp(300)]) with
        {
            Notes = [new NoteText(text, "es", GuidelineEvidenceTests.MonthsAgo(1), "DocumentReference/n")],
        };

        var estimate = engine.Assess(input);

        var notes = Assert.Single(estimate.Components, c => c.Component == "notes");
        Assert.InRange(notes.Probability!.Value, 0, 1);
        var finding = Assert.Single(
            estimate.Findings,
            f => RiskWording.Spanish.Describe(f).StartsWith("Clasificador de notas", StringComparison.Ordinal)
        );
        Assert.Equal("DocumentReference/n", finding.Source);
        Assert.InRange(finding.SpanStart!.Value + finding.SpanLength!.Value, 1, text.Length);
        Assert.Contains("rules+notes", estimate.Rationale, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_patients_with_and_without_notes_When_assessed_as_a_batch_Then_each_equals_its_own_assessment()
    {
        using var tiny = new TinyRoberta();
        using var engine = new RiskEngine(
            null,
            NoteModels.Single(NoteClassifier.Load(tiny.Directory, ComputeTarget.Cpu)),
            StackedCombiner.Default
        );
        var inputs = ClinicalTexts
            .Corpus.Select(
                (text, i) =>
                    GuidelineEvidenceTests.Patient(
                        age: 60 + i,
                        peptides: [GuidelineEvidenceTests.NtProBnp(100 * i)]
                    ) with
                    {
                        Notes =
                        [
                            .. Enumerable
                                .Range(0, i % 3)
                                .Select(n => new NoteText(
                                    text,
                                    "es",
                                    GuidelineEvidenceTests.MonthsAgo(n + 1),
                                    $"DocumentReference/n{i}-{n}"
                                )),
                        ],
                    }
            )
            .ToList();

        var batch = engine.AssessBatch(inputs, parallelism: 2);

        Assert.Equal(inputs.Count, batch.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var alone = engine.Assess(inputs[i]);
            Assert.Equal(alone.Probability, batch[i].Probability, 1e-6);
            Assert.Equal(alone.Category, batch[i].Category);
            Assert.Equal(alone.Findings.Select(f => f.Source), batch[i].Findings.Select(f => f.Source));
            Assert.Equal(
                alone.Components.Select(c => c.Probability is null),
                batch[i].Components.Select(c => c.Probability is null)
            );
        }
    }

    [Fact]
    public void Given_threads_scoring_notes_at_once_When_compared_one_at_a_time_Then_the_scores_agree()
    {
        using var tiny = new TinyRoberta();
        using var classifier = NoteClassifier.Load(tiny.Directory, ComputeTarget.Cpu);
        var patients = Enumerable
            .Range(0, 8)
            .Select(i => (IReadOnlyList<string>)ClinicalTexts.Corpus.Skip(i % 4).Take(1 + i % 3).ToList())
            .ToList();
        var alone = patients.Select(p => classifier.ClassifyPatient(p).Probability).ToList();

        var together = new double[patients.Count];
        Parallel.For(
            0,
            patients.Count,
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => together[i] = classifier.ClassifyPatients([patients[i]])[0]!.Probability
        );

        for (var i = 0; i < patients.Count; i++)
            Assert.Equal(alone[i], together[i], 1e-6);
    }

    [Fact]
    public void Given_a_cancelled_request_When_a_patient_with_notes_is_assessed_Then_the_classifier_stops_with_it()
    {
        using var tiny = new Clinical.Models.Tests.Encoders.Roberta.TinyRoberta();
        using var engine = new RiskEngine(
            null,
            NoteModels.Single(NoteClassifier.Load(tiny.Directory, ComputeTarget.Cpu)),
            StackedCombiner.Default
        );
        var input = GuidelineEvidenceTests.Patient(peptides: [GuidelineEvidenceTests.NtProBnp(300)]) with
        {
            Notes = [new NoteText("Refiere disnea de esfuerzo.", "es", GuidelineEvidenceTests.MonthsAgo(1), "n")],
        };
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => engine.Assess(input, cancelled.Token));
        Assert.Contains(engine.Assess(input).Components, c => c.Component == "notes" && c.Probability is not null);
    }
}
