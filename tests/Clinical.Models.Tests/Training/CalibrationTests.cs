using Clinical.Models.Training;

namespace Clinical.Models.Tests.Training;

public sealed class CalibrationTests
{
    [Fact]
    public void Given_overconfident_logits_When_fitting_a_temperature_Then_it_is_above_one_and_lowers_the_nll()
    {
        // True log-odds z; labels drawn from σ(z); the model reports 4·z (overconfident), so T ≈ 4.
        var random = new Random(3);
        var truth = Enumerable.Range(0, 4000).Select(_ => random.NextDouble() * 6 - 3).ToList();
        var labels = truth.Select(z => random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0).ToList();
        var reported = truth.Select(z => 4 * z).ToList();

        var temperature = TemperatureScaling.Fit(reported, labels);

        Assert.InRange(temperature, 3.4, 4.6);
        Assert.True(
            TemperatureScaling.NegativeLogLikelihood(reported, labels, temperature)
                < TemperatureScaling.NegativeLogLikelihood(reported, labels, 1) - 0.1
        );
    }

    [Fact]
    public void Given_a_fitted_temperature_When_moving_it_Then_the_nll_does_not_decrease()
    {
        double[] logOdds = [2, -1, 0.5, 3, -2, 1];
        int[] labels = [1, 0, 0, 1, 0, 1];
        var t = TemperatureScaling.Fit(logOdds, labels);
        var best = TemperatureScaling.NegativeLogLikelihood(logOdds, labels, t);
        Assert.True(best <= TemperatureScaling.NegativeLogLikelihood(logOdds, labels, t * 1.05) + 1e-12);
        Assert.True(best <= TemperatureScaling.NegativeLogLikelihood(logOdds, labels, t / 1.05) + 1e-12);
    }

    [Fact]
    public void Given_logits_When_computing_nll_by_hand_Then_it_matches()
    {
        // −(log σ(2) + log(1 − σ(−1))) / 2 = log(1 + e^−2) · ... : both terms equal log(1 + e^−|z|) for correct signs.
        var expected = (Math.Log(1 + Math.Exp(-2)) + Math.Log(1 + Math.Exp(-1))) / 2;
        Assert.Equal(expected, TemperatureScaling.NegativeLogLikelihood([2, -1], [1, 0], 1), 12);
        Assert.Equal(1 / (1 + Math.Exp(-1)), TemperatureScaling.Probability(2, 2), 12);
    }
}
