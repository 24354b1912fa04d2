namespace Clinical.Models.Training;

/// <summary>
/// Temperature scaling (Guo et al., 2017, "On Calibration of Modern Neural Networks"): one scalar T
/// divides the logits; for two labels p = σ(z / T) with z the positive-minus-negative logit. T is
/// fitted on held-out data by minimising the negative log-likelihood, here with a golden-section
/// search over log T (the NLL is unimodal in T), so the fit is exact to 1e-6 and deterministic.
/// </summary>
public static class TemperatureScaling
{
    public const double MinTemperature = 0.05;
    public const double MaxTemperature = 20;

    public static double Fit(IReadOnlyList<double> logOdds, IReadOnlyList<int> labels)
    {
        if (logOdds.Count != labels.Count || logOdds.Count == 0)
            throw new ArgumentException(
                "Temperature fitting needs as many labels as logits, and at least one.",
                nameof(labels)
            );
        if (labels.Distinct().Count() < 2)
            return 1;
        double low = Math.Log(MinTemperature),
            high = Math.Log(MaxTemperature);
        var ratio = (Math.Sqrt(5) - 1) / 2;
        double a = high - ratio * (high - low),
            b = low + ratio * (high - low);
        double fa = NegativeLogLikelihood(logOdds, labels, Math.Exp(a)),
            fb = NegativeLogLikelihood(logOdds, labels, Math.Exp(b));
        while (high - low > 1e-7)
        {
            if (fa < fb)
            {
                high = b;
                b = a;
                fb = fa;
                a = high - ratio * (high - low);
                fa = NegativeLogLikelihood(logOdds, labels, Math.Exp(a));
            }
            else
            {
                low = a;
                a = b;
                fa = fb;
                b = low + ratio * (high - low);
                fb = NegativeLogLikelihood(logOdds, labels, Math.Exp(b));
            }
        }
        return Math.Exp((low + high) / 2);
    }

    /// <summary>Mean binary cross-entropy of σ(z / T), computed stably from the logits.</summary>
    public static double NegativeLogLikelihood(
        IReadOnlyList<double> logOdds,
        IReadOnlyList<int> labels,
        double temperature
    )
    {
        double sum = 0;
        for (var i = 0; i < logOdds.Count; i++)
        {
            var z = logOdds[i] / temperature;
            var signed = labels[i] == 1 ? z : -z;
            sum += Math.Max(-signed, 0) + Math.Log(1 + Math.Exp(-Math.Abs(signed)));
        }
        return sum / logOdds.Count;
    }

    public static double Probability(double logOdds, double temperature) => 1 / (1 + Math.Exp(-logOdds / temperature));
}
