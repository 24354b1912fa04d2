using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Clinical.Models.Training;

/// <summary>
/// Mixed precision by hand (TorchSharp has no autocast): the optimizer owns fp32 master weights and
/// the forward/backward pass runs on a working copy in the target dtype (bf16 on GPU). After backward
/// the working gradients are handed to the masters in fp32, the optimizer updates the masters, and the
/// working copy is refreshed from them. Pure bf16 training would round small Adam updates (lr·m/√v ≈
/// 1e-5 relative) away against bf16's 8-bit mantissa, so the masters stay fp32. bf16 needs no loss
/// scaling (same exponent range as fp32). On CPU (fp32) master and working model are the same module.
/// </summary>
internal sealed class MasterWeights<TModel> : IDisposable
    where TModel : nn.Module
{
    private readonly List<(Parameter Master, Parameter Working)> _pairs;

    public MasterWeights(TModel master, Func<TModel> create, ScalarType dtype, Device device)
    {
        Master = master;
        Working = dtype == ScalarType.Float32 ? master : create();
        if (!ReferenceEquals(Working, Master))
            Working.to(device, dtype);
        var working = Working.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        _pairs = Master.named_parameters().Select(p => (p.parameter, working[p.name])).ToList();
        Refresh();
    }

    public TModel Master { get; }

    public TModel Working { get; }

    public bool IsMixed => !ReferenceEquals(Working, Master);

    /// <summary>Copies master weights into the working copy (no-op in fp32).</summary>
    public void Refresh()
    {
        if (!IsMixed)
            return;
        using var noGrad = no_grad();
        foreach (var (master, working) in _pairs)
            working.copy_(master);
    }

    /// <summary>
    /// Sets each master's gradient to its working parameter's gradient in fp32, through one backward pass of
    /// Σ master · g.
    /// </summary>
    public void GradientsToMaster()
    {
        if (!IsMixed)
            return;
        using var scope = NewDisposeScope();
        var terms = _pairs
            .Where(p => p.Working.grad is not null)
            .Select(p => p.Master.mul(p.Working.grad!.detach().to(ScalarType.Float32)).sum())
            .ToList();
        if (terms.Count > 0)
            stack(terms).sum().backward();
        foreach (var (_, working) in _pairs)
            working.grad?.zero_();
    }

    public void Dispose()
    {
        if (IsMixed)
            Working.Dispose();
    }
}
