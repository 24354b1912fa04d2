using Hl7.Fhir.Model;

namespace Clinical.Synthetic;

public enum ReferenceStyle
{
    /// <summary>References as urn:uuid:…, matching the fullUrl of collection Bundle entries.</summary>
    UrnUuid,

    /// <summary>References as Type/id, as in a Bulk Data export.</summary>
    Relative,
}

/// <summary>One generated patient: its truth and every FHIR resource about it, Patient first.</summary>
public sealed record SyntheticPatient(
    PatientTruth Truth,
    IReadOnlyList<Resource> Resources,
    ReferenceStyle References,
    DateOnly AsOf
)
{
    internal IReadOnlyList<NoteLanguage> NoteLanguages { get; init; } = [];

    internal double? LatestNtProBnpPgPerMl { get; init; }

    internal int AgeAtAsOf { get; init; }

    /// <summary>
    /// A collection Bundle with urn:uuid fullUrls (meaningful when <see cref="References"/> is <see
    /// cref="ReferenceStyle.UrnUuid"/>).
    /// </summary>
    public Bundle ToBundle() =>
        new()
        {
            Id = Truth.PatientId,
            Type = Bundle.BundleType.Collection,
            Timestamp = new DateTimeOffset(AsOf.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero),
            Entry = Resources
                .Select(r => new Bundle.EntryComponent { FullUrl = "urn:uuid:" + r.Id, Resource = r })
                .ToList(),
        };
}
