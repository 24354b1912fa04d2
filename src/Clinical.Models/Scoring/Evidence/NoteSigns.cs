namespace Clinical.Models.Scoring.Evidence;

/// <summary>The sign mentions of one note, with the note they came from.</summary>
public sealed record NoteSigns(NoteText Note, IReadOnlyList<SignMention> Mentions);

/// <summary>
/// Sign mentions over a patient's recent notes: per sign, how many notes affirm it, hedge it, deny it.
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
                .Select(n => new NoteSigns(n, NoteSignReader.Read(n.Text, n.Language)))
                .ToList()
        );

    public int NotesWith(HeartFailureSign sign, Assertion assertion) =>
        Notes.Count(n => n.Mentions.Any(m => m.Sign == sign && m.Assertion == assertion));

    public int NotesAffirmingAny => Notes.Count(n => n.Mentions.Any(m => m.Assertion == Assertion.Present));

    public IReadOnlyList<HeartFailureSign> Affirmed =>
        Enum.GetValues<HeartFailureSign>().Where(s => NotesWith(s, Assertion.Present) > 0).ToList();
}
