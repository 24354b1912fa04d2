using System.Security.Cryptography;
using System.Text;

namespace Clinical.Fhir.Output;

/// <summary>
/// Where emitted resources get their ids. One-off screenings take random ids; a cohort run derives them from the run
/// and the patient, so that a resumed run gives each result the id an uninterrupted run would have given it, and the
/// same result stored twice would collide instead of duplicating. Derived ids are name-based UUIDs (RFC 9562 §5.5,
/// version 5: SHA-1 of a namespace and the name "seed|kind").
/// </summary>
public sealed class ResourceIds
{
    /// <summary>The namespace of this product's name-based ids (a fixed, randomly drawn UUID).</summary>
    private static readonly Guid Namespace = new("7d1b8f5e-2c4a-4f0e-9a61-3e5b2d8c9f10");

    private readonly string? _seed;

    private ResourceIds(string? seed) => _seed = seed;

    public static ResourceIds Random { get; } = new(null);

    public static ResourceIds Derived(string seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(seed);
        return new ResourceIds(seed);
    }

    /// <summary>The id of the resource of this kind (e.g. "RiskAssessment", "summary-Provenance").</summary>
    public string For(string kind) =>
        _seed is null ? Guid.NewGuid().ToString() : NameBased($"{_seed}|{kind}").ToString();

    private static Guid NameBased(string name)
    {
        Span<byte> input = stackalloc byte[16];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        var bytes = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        input.CopyTo(bytes);
        Encoding.UTF8.GetBytes(name, bytes.AsSpan(16));
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 specifies for version 5 ids; it is not used for security.
        var hash = SHA1.HashData(bytes);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
