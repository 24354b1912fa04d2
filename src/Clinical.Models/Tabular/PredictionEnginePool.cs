using System.Collections.Concurrent;
using Microsoft.ML;

namespace Clinical.Models.Tabular;

/// <summary>
/// PredictionEngine is not thread-safe (ML.NET docs), so each call rents one engine, never shared while
/// in use, and returns it; the pool grows to the peak concurrency. The transformer itself is immutable.
/// </summary>
public sealed class PredictionEnginePool<TIn, TOut>(MLContext context, ITransformer model)
    where TIn : class
    where TOut : class, new()
{
    private readonly ConcurrentBag<PredictionEngine<TIn, TOut>> _idle = [];

    public TOut Predict(TIn row)
    {
        if (!_idle.TryTake(out var engine))
            engine = context.Model.CreatePredictionEngine<TIn, TOut>(model);
        try
        {
            return engine.Predict(row);
        }
        finally
        {
            _idle.Add(engine);
        }
    }
}
