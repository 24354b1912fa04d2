using Clinical.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Runtime;

public sealed class ComputeTargetTests
{
    [Fact]
    public void Libtorch_loads_and_multiplies_matrices_on_every_available_device()
    {
        foreach (var target in ComputeTarget.Available())
        {
            using var scope = NewDisposeScope();
            var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3], device: target.Device);
            var b = tensor(new float[] { 7, 8, 9, 10, 11, 12 }, [3, 2], device: target.Device);

            var product = matmul(a, b).cpu();

            Assert.Equal(new float[] { 58, 64, 139, 154 }, product.data<float>().ToArray());
        }
    }

    [Fact]
    public void Cpu_preference_resolves_to_fp32_on_cpu()
    {
        var target = ComputeTarget.Resolve("cpu");

        Assert.Equal(DeviceType.CPU, target.Device.type);
        Assert.Equal(ScalarType.Float32, target.DType);
    }

    [Fact]
    public void Unknown_device_preference_is_refused_with_the_accepted_values()
    {
        var error = Assert.Throws<ArgumentException>(() => ComputeTarget.Resolve("tpu"));

        Assert.Contains("auto, cpu or cuda", error.Message, StringComparison.Ordinal);
    }
}
