using Clinical.Models.Runtime;

namespace Clinical.Models.Tests.Runtime;

public sealed class MicroBatchesTests
{
    [Theory]
    [InlineData(512, 1)] // base size: 12 heads × 512² scores are 12 MiB per window
    [InlineData(256, 5)] // 256 × 3,072 feed-forward values and 12 × 256² scores, 3 MiB per window
    [InlineData(128, 10)]
    public void Given_base_size_encoder_When_windows_per_pass_asked_Then_widest_activation_fits_the_budget(
        int length,
        int expected
    )
    {
        var perPass = MicroBatches.WindowsPerPass(length, widestFeatures: 3072, heads: 12);

        Assert.Equal(expected, perPass);
        Assert.InRange(
            perPass * Math.Max(length * 3072L, 12L * length * length) * 4,
            0,
            MicroBatches.ActivationBudgetBytes
        );
    }

    [Fact]
    public void Given_window_wider_than_the_budget_When_windows_per_pass_asked_Then_one()
    {
        Assert.Equal(1, MicroBatches.WindowsPerPass(4096, widestFeatures: 16384, heads: 64));
    }
}
