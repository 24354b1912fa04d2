namespace Clinical.Synthetic;

/// <summary>
/// xoshiro256** seeded through SplitMix64. Each (seed, patient index, stream) gets its own
/// sequence, so patients are independent of each other and of the order they are generated in.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _s0,
        _s1,
        _s2,
        _s3;
    private double? _spareNormal;

    public SeededRandom(long seed, long patientIndex, RandomStream stream)
    {
        var mix = unchecked(
            (ulong)seed * 0x9E3779B97F4A7C15UL
            ^ (ulong)patientIndex * 0xD1B54A32D192ED03UL
            ^ (ulong)stream * 0x8CB92BA72F3D8DD7UL
        );
        _s0 = SplitMix(ref mix);
        _s1 = SplitMix(ref mix);
        _s2 = SplitMix(ref mix);
        _s3 = SplitMix(ref mix);
    }

    public static ulong Hash(long seed, long patientIndex, long ordinal)
    {
        var mix = unchecked(
            (ulong)seed * 0xA24BAED4963EE407UL
            ^ (ulong)patientIndex * 0x9FB21C651E98DF25UL
            ^ (ulong)ordinal * 0xC2B2AE3D27D4EB4FUL
        );
        SplitMix(ref mix);
        return SplitMix(ref mix);
    }

    private static ulong SplitMix(ref ulong state)
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    public ulong NextUInt64()
    {
        unchecked
        {
            var result = RotateLeft(_s1 * 5, 7) * 9;
            var t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = RotateLeft(_s3, 45);
            return result;
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [min, maxExclusive).</summary>
    public int Next(int min, int maxExclusive) => min + (int)(NextDouble() * (maxExclusive - min));

    public bool Chance(double probability) => NextDouble() < probability;

    public double Normal(double mean, double sd)
    {
        if (_spareNormal is { } spare)
        {
            _spareNormal = null;
            return mean + sd * spare;
        }
        double u,
            v,
            s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        var factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = v * factor;
        return mean + sd * u * factor;
    }

    public double LogNormal(double median, double logSd) => median * Math.Exp(Normal(0, logSd));

    public int Poisson(double lambda)
    {
        if (lambda > 30)
        {
            return Math.Max(0, (int)Math.Round(Normal(lambda, Math.Sqrt(lambda))));
        }
        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = NextDouble();
        while (p > limit)
        {
            k++;
            p *= NextDouble();
        }
        return k;
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(0, items.Count)];

    public int PickWeighted(IReadOnlyList<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }
        var target = NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            target -= weights[i];
            if (target < 0)
            {
                return i;
            }
        }
        return weights.Count - 1;
    }

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(0, i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

internal enum RandomStream
{
    Population = 1,
    Trajectory = 2,
    Notes = 3,
    Medications = 4,
    Identity = 5,
}
