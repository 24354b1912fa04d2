using System.Globalization;

namespace Clinical.Synthetic.Resources;

/// <summary>Version-4-shaped UUIDs derived from seed, patient index and resource ordinal; never random.</summary>
internal static class SyntheticIds
{
    public static string Patient(long seed, int patientIndex) => Uuid(seed, patientIndex, 0);

    public static string Resource(long seed, int patientIndex, int ordinal) => Uuid(seed, patientIndex, ordinal + 1);

    private static string Uuid(long seed, int patientIndex, long ordinal)
    {
        var high = SeededRandom.Hash(seed, patientIndex, ordinal * 2);
        var low = SeededRandom.Hash(seed, patientIndex, ordinal * 2 + 1);
        high = (high & 0xFFFFFFFFFFFF0FFFUL) | 0x0000000000004000UL;
        low = (low & 0x3FFFFFFFFFFFFFFFUL) | 0x8000000000000000UL;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{high >> 32:x8}-{(high >> 16) & 0xFFFF:x4}-{high & 0xFFFF:x4}-{low >> 48:x4}-{low & 0xFFFFFFFFFFFFUL:x12}"
        );
    }
}
