namespace Clinical.Fhir.Parsing;

/// <summary>
/// FNV-1a (Fowler, Noll, Vo; draft-eastlake-fnv) over a string's UTF-16 code units: the same value on every run and
/// platform, where string.GetHashCode is randomised per process. Bulk export bucketing, the patient split and the weak
/// labels' cuts, and the tiny checkpoints' weights all rest on these exact values: never change them.
/// </summary>
public static class Fnv1a
{
    private const uint OffsetBasis32 = 2166136261u;
    private const uint Prime32 = 16777619u;
    private const ulong OffsetBasis64 = 0xCBF29CE484222325UL;
    private const ulong Prime64 = 0x100000001B3UL;

    public static uint Hash32(string text)
    {
        var hash = OffsetBasis32;
        foreach (var c in text)
            hash = (hash ^ c) * Prime32;
        return hash;
    }

    public static ulong Hash64(string text)
    {
        var hash = OffsetBasis64;
        foreach (var c in text)
            hash = (hash ^ c) * Prime64;
        return hash;
    }
}
