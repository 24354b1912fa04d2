namespace Clinical.Models.Runtime;

/// <summary>
/// How many windows an inference forward pass takes at once on the CPU, so that no activation it allocates outgrows
/// the allocator's reusable blocks. libtorch allocates CPU tensors with glibc's malloc, which serves a block above its
/// mmap threshold (adaptive, at most 32 MiB on 64-bit glibc) with a fresh mmap: the kernel zero-fills it page by page
/// on first write and unmaps it on free, on every call. A base-size encoder on 8 windows of 512 tokens allocates
/// 50 MiB feed-forward activations (100 MiB attention scores where attention is not fused), so each layer paid those
/// page faults again: `bench encoder --dtype int8 --batch 8` ran 1.63 windows/s in one pass and 2.28 in passes of two
/// on one core, and 2.43 with glibc's mmap turned off (MALLOC_MMAP_MAX_=0). Splitting the batch is exact (windows
/// never attend to each other; int8 scales are per token) and leaves matmuls of at least one window's rows.
/// </summary>
public static class MicroBatches
{
    /// <summary>The widest activation one pass may allocate: half of glibc's 32 MiB mmap threshold ceiling.</summary>
    public const long ActivationBudgetBytes = 16L << 20;

    /// <summary>
    /// Windows per pass for an encoder whose widest per-token activation has <paramref name="widestFeatures"/>
    /// values (the feed-forward's intermediate size, or the fused query-key-value width) and whose attention scores
    /// are heads × length² per window; fp32 values, the widest dtype inference uses. At least one.
    /// </summary>
    public static int WindowsPerPass(long length, long widestFeatures, long heads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var perWindow = Math.Max(length * widestFeatures, heads * length * length) * sizeof(float);
        return (int)Math.Clamp(ActivationBudgetBytes / perWindow, 1, int.MaxValue);
    }
}
