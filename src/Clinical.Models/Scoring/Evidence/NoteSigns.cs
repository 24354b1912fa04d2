using Clinical.Models.Language;

namespace Clinical.Models.Scoring.Evidence;

/// <summary>
/// The mentions of HF symptoms and signs in one note (<see cref="ClinicalConcepts.ScoredSigns"/>) as the
/// clinical-language layer reads them, with the note they came from.
/// </summary>
public sealed record NoteSigns(NoteText Note, IReadOnlyList<ClinicalMention> Mentions)
{
    public static NoteSigns Read(NoteText note) =>
        new(note, MentionReader.Read(note.Text).Where(m => m.Concept.IsScoredSign()).ToList());
}

/// <summary>
/// Sign mentions over a patient's recent notes: per sign, how many notes affirm it, hedge it, deny it. Historical,
/// hypothetical and family mentions are read but are not the patient's signs now, so nothing counts them.
/// </summary>
public sealed record SignSummary(IReadOnlyList<NoteSigns> Notes)
{
    public const int LookbackMonths = 24;

    public static SignSummary Read(RiskInput input) =>
        new(
            input
                .Notes.Where(n =>
                    n.When is not { } when || CalendarDay.Of(when) >= input.AsOf.AddMonths(-LookbackMonths)
                )
                .Select(NoteSigns.Read)
                .ToList()
        );

    public int NotesWith(ClinicalConcept sign, Assertion assertion) =>
        Notes.Count(n => n.Mentions.Any(m => m.Concept == sign && m.Assertion == assertion));

    public int NotesAffirmingAny => Notes.Count(n => n.Mentions.Any(m => m.Assertion == Assertion.Affirmed));

    public IReadOnlyList<ClinicalConcept> Affirmed =>
        ClinicalConcepts.ScoredSigns.Where(s => NotesWith(s, Assertion.Affirmed) > 0).ToList();
}
