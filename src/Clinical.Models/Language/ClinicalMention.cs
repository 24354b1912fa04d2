namespace Clinical.Models.Language;

/// <summary>
/// A concept found in a text: the exact characters [Start, Start + Length) of the text, how it stands, and the
/// words that decided it (the cue: "niega", "hace 2 años", "madre con"; null when nothing modifies it).
/// </summary>
public sealed record ClinicalMention(
    ClinicalConcept Concept,
    Assertion Assertion,
    int Start,
    int Length,
    string Text,
    string? Cue
)
{
    public int End => Start + Length;

    /// <summary>The patient has it now (affirmed) or had it (historical): what "HF in this patient" means.</summary>
    public bool AboutThePatient => Assertion is Assertion.Affirmed or Assertion.Historical;
}
