using Clinical.Models.Runtime;

namespace Clinical.Models.Tests.Runtime;

public sealed class CpuThreadsTests
{
    [Fact]
    public void Given_latency_mode_When_planned_Then_free_cores_work_inside_one_pass_at_a_time()
    {
        Assert.Equal((2, 1), CpuThreads.Plan(2, loadAverage: null, configured: null, CpuMode.Latency));
        Assert.Equal((1, 1), CpuThreads.Plan(2, loadAverage: 1.4, configured: null, CpuMode.Latency));
        Assert.Equal((4, 1), CpuThreads.Plan(8, loadAverage: 6, configured: 4, CpuMode.Latency));
    }

    [Fact]
    public void Given_throughput_mode_When_planned_Then_one_thread_per_pass_and_a_pass_per_processor()
    {
        Assert.Equal((1, 2), CpuThreads.Plan(2, loadAverage: null, configured: null, CpuMode.Throughput));
        // The load average lags and side-by-side passes never wait on each other: it is not consulted.
        Assert.Equal((1, 2), CpuThreads.Plan(2, loadAverage: 2.4, configured: null, CpuMode.Throughput));
        Assert.Equal((2, 4), CpuThreads.Plan(8, loadAverage: null, configured: 2, CpuMode.Throughput));
        Assert.Equal((4, 1), CpuThreads.Plan(2, loadAverage: null, configured: 4, CpuMode.Throughput));
    }
}
