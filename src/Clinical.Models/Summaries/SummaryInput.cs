namespace Clinical.Models.Summaries;

public enum KeyValueKind
{
    NtProBnp,
    Bnp,
    Lvef,
    Weight,
}

/// <summary>A clinical note: its text, date and source reference (e.g. DocumentReference/123).</summary>
public sealed record SummaryNote(string Text, DateOnly? When, string Source);

/// <summary>A measured value in the product's unit (pg/mL, %, kg) with its date and source.</summary>
public sealed record KeyValue(
    KeyValueKind Kind,
    decimal Value,
    string Unit,
    string? Comparator,
    DateOnly? When,
    string Source
);

public sealed record SummaryDiagnosis(
    string Display,
    bool IsHeartFailure,
    bool IsActive,
    DateOnly? When,
    string Source
);

public sealed record SummaryMedication(string Display, string DrugClass, DateOnly? When, string Source);

/// <summary>
/// What a summary of one patient may use, and nothing else: the grounding check accepts only numbers, dates
/// and drug names found here. Language is ISO 639-1 (es, ca, gl, eu); the summary is written in it.
/// </summary>
public sealed record SummaryInput(
    string PatientReference,
    DateOnly AsOf,
    string Language,
    IReadOnlyList<SummaryNote> Notes,
    IReadOnlyList<KeyValue> KeyValues,
    IReadOnlyList<SummaryDiagnosis> Diagnoses,
    IReadOnlyList<SummaryMedication> Medications
)
{
    public IEnumerable<KeyValue> Of(KeyValueKind kind) => KeyValues.Where(v => v.Kind == kind);
}
