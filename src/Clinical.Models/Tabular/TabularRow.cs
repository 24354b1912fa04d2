using Microsoft.ML.Data;

namespace Clinical.Models.Tabular;

/// <summary>One patient at one as-of date, as ML.NET reads it.</summary>
public sealed class TabularRow
{
    [VectorType(TabularFeatures.Count)]
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }
}

/// <summary>What the trained pipeline writes for a row.</summary>
public sealed class TabularPrediction
{
    public float Probability { get; set; }

    public float Score { get; set; }
}
