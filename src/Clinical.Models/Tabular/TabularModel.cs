using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace Clinical.Models.Tabular;

/// <summary>
/// A gradient-boosted tree classifier (FastTree, Burges' LambdaMART family; ML.NET) on <see cref="TabularFeatures"/>,
/// with ML.NET's Platt calibrator. Saved as model.zip with its card; loading refuses a schema that differs from this
/// build's.
/// </summary>
public sealed class TabularModel
{
    public const string ModelFile = "model.zip";
    public const string TrainerDescription =
        "ML.NET 5.0.1 FastTree binary (8 leaves, 300 trees, learning rate 0.05, at least 20 rows per leaf, "
        + "feature fraction 0.7, 1 thread), Platt-calibrated";
    private readonly PredictionEnginePool<TabularRow, TabularPrediction> _pool;
    private readonly MLContext _context;

    private TabularModel(MLContext context, ITransformer transformer, TabularModelCard card)
    {
        _context = context;
        Transformer = transformer;
        Card = card;
        _pool = new PredictionEnginePool<TabularRow, TabularPrediction>(context, transformer);
    }

    public ITransformer Transformer { get; }

    public TabularModelCard Card { get; }

    public TabularModel WithCard(TabularModelCard card) => new(_context, Transformer, card);

    public double Predict(float[] features) => _pool.Predict(new TabularRow { Features = features }).Probability;

    public static TabularModel Train(IReadOnlyList<TabularRow> rows, TabularModelCard card, int seed = 1)
    {
        var context = new MLContext(seed);
        var data = context.Data.LoadFromEnumerable(rows);
        var trainer = context.BinaryClassification.Trainers.FastTree(
            new FastTreeBinaryTrainer.Options
            {
                NumberOfLeaves = 8,
                NumberOfTrees = 300,
                MinimumExampleCountPerLeaf = 20,
                LearningRate = 0.05,
                FeatureFraction = 0.7,
                NumberOfThreads = 1,
                FeatureColumnName = nameof(TabularRow.Features),
                LabelColumnName = nameof(TabularRow.Label),
            }
        );
        return new TabularModel(context, trainer.Fit(data), card);
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var context = new MLContext();
        var schema = context.Data.LoadFromEnumerable(Array.Empty<TabularRow>()).Schema;
        context.Model.Save(Transformer, schema, Path.Combine(directory, ModelFile));
        Card.Save(directory);
    }

    public static TabularModel Load(string directory)
    {
        var card = TabularModelCard.Load(directory);
        if (!card.Features.SequenceEqual(TabularFeatures.Names))
        {
            var firstDifference = card
                .Features.Zip(TabularFeatures.Names)
                .Select((p, i) => (p, i))
                .FirstOrDefault(x => x.p.First != x.p.Second)
                .i;
            throw new InvalidDataException(
                $"{directory}: the model's {card.Features.Count} features differ from this build's "
                    + $"{TabularFeatures.Count} (first difference: {firstDifference}); retrain with train-tabular."
            );
        }
        var context = new MLContext();
        using var stream = File.OpenRead(Path.Combine(directory, ModelFile));
        return new TabularModel(context, context.Model.Load(stream, out _), card);
    }
}
