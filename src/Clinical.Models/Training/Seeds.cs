namespace Clinical.Models.Training;

/// <summary>
/// Derived seeds that are the same in every process (HashCode.Combine is randomised per process, so a run resumed in a
/// new process would draw another data order or mask): SplitMix64 (Steele et al., 2014) folded over the parts.
/// </summary>
internal static class Seeds
{
    public static int Of(params long[] parts)
    {
        var x = 0x9E3779B97F4A7C15UL;
        foreach (var part in parts)
        {
            x ^= unchecked((ulong)part);
            x = unchecked(x + 0x9E3779B97F4A7C15UL);
            x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
            x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
            x ^= x >> 31;
        }
        return unchecked((int)x);
    }
}
