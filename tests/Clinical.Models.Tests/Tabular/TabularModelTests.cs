using Clinical.Models.Scoring;
using Clinical.Models.Scoring.Evidence;
using Clinical.Models.Tabular;
using Clinical.Models.Tests.Scoring.Evidence;

namespace Clinical.Models.Tests.Tabular;

public sealed class TabularModelTests
{
    private static TabularRow Row(Random random)
    {
        var label = random.NextDouble() < 0.3;
        var peptide = label ? 400 + random.NextDouble() * 2000 : 20 + random.NextDouble() * 200;
        var input = GuidelineEvidenceTests.Patient(
            age: 60 + random.Next(30),
            peptides: [GuidelineEvidenceTests.NtProBnp(peptide)]
        );
        return new TabularRow
        {
            Features = TabularFeatures.Build(input, GuidelineEvidence.Assess(input)),
            Label = label,
        };
    }

    private static TabularModelCard Card() =>
        new(
            "test",
            "0",
            "FastTree",
            TabularFeatures.Names,
            "synthetic rows",
            "label",
            "test",
            new Dictionary<string, SplitMetrics>(),
            []
        );

    [Fact]
    public void Given_a_record_When_features_are_built_Then_they_match_the_schema_names()
    {
        var input = GuidelineEvidenceTests.Patient(peptides: [GuidelineEvidenceTests.NtProBnp(870)]);

        var features = TabularFeatures.Build(input, GuidelineEvidence.Assess(input));

        Assert.Equal(TabularFeatures.Names.Count, features.Length);
        Assert.Equal((float)Math.Log(871), features[TabularFeatures.Names.ToList().IndexOf("NtProBnp_latest_log")], 4);
        Assert.Equal(1, features[TabularFeatures.Names.ToList().IndexOf("Bnp_missing")]);
    }

    [Fact]
    public void Given_a_trained_model_When_saved_loaded_and_used_from_many_threads_Then_predictions_agree_and_separate()
    {
        var random = new Random(5);
        var rows = Enumerable.Range(0, 300).Select(_ => Row(random)).ToList();
        var model = TabularModel.Train(rows, Card());
        var folder = Directory.CreateTempSubdirectory("tabular-").FullName;
        try
        {
            model.Save(folder);
            var loaded = TabularModel.Load(folder);

            var sequential = rows.Select(r => loaded.Predict(r.Features)).ToArray();
            var parallel = new double[rows.Count];
            Parallel.For(
                0,
                rows.Count,
                new ParallelOptions { MaxDegreeOfParallelism = 4 },
                i => parallel[i] = loaded.Predict(rows[i].Features)
            );

            Assert.Equal(sequential, parallel);
            Assert.True(
                Clinical.Models.Evaluation.BinaryMetrics.Auroc(rows.Select(r => r.Label ? 1 : 0).ToList(), sequential)
                    > 0.95
            );
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Given_a_card_with_another_schema_When_loaded_Then_it_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("tabular-").FullName;
        try
        {
            var random = new Random(6);
            TabularModel
                .Train(Enumerable.Range(0, 100).Select(_ => Row(random)).ToList(), Card() with { Features = ["age"] })
                .Save(folder);

            Assert.Throws<InvalidDataException>(() => TabularModel.Load(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
