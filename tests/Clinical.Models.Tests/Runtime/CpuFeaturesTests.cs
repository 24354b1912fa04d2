using Clinical.Models.Runtime;

namespace Clinical.Models.Tests.Runtime;

public sealed class CpuFeaturesTests
{
    private const string XeonWithBf16 = """
        processor	: 0
        model name	: Intel(R) Xeon(R) Platinum 8480+
        flags		: fpu sse2 avx2 avx512f avx512_vnni avx512_bf16 amx_int8
        """;

    private const string OlderXeon = """
        processor	: 0
        model name	: Intel(R) Xeon(R) CPU E5-2680 v4
        flags		: fpu sse2 avx avx2 fma
        """;

    [Fact]
    public void Given_cpuinfo_with_avx512_bf16_and_vnni_When_read_Then_both_precisions_are_native()
    {
        var cpu = CpuFeatures.FromCpuInfo(XeonWithBf16);

        Assert.Equal("Intel(R) Xeon(R) Platinum 8480+", cpu.Model);
        Assert.True(cpu.Supports(Precision.Bf16));
        Assert.True(cpu.Supports(Precision.Int8));
    }

    [Fact]
    public void Given_cpuinfo_without_bf16_or_vnni_When_read_Then_only_fp32_is_native()
    {
        var cpu = CpuFeatures.FromCpuInfo(OlderXeon);

        Assert.True(cpu.Supports(Precision.Fp32));
        Assert.False(cpu.Supports(Precision.Bf16));
        Assert.False(cpu.Supports(Precision.Int8));
    }

    [Fact]
    public void Given_busy_cores_When_default_threads_chosen_Then_free_cores_are_used_and_never_none()
    {
        Assert.Equal(2, CpuThreads.Default(2, loadAverage: null));
        Assert.Equal(1, CpuThreads.Default(2, loadAverage: 1.2));
        Assert.Equal(1, CpuThreads.Default(2, loadAverage: 30));
        Assert.Equal(6, CpuThreads.Default(8, loadAverage: 2.4));
    }
}
