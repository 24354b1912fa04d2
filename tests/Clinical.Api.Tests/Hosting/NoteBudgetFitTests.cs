using Clinical.Api.Hosting;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;

namespace Clinical.Api.Tests.Hosting;

/// <summary>
/// Which notes of a patient over the note budget are still scored by the jobs that screen many patients: the newest
/// that fit (by note date, notes without a date last), and a warning that says what was left out and why.
/// </summary>
public sealed class NoteBudgetFitTests
{
    private static ClinicalNote Note(string id, string? date, int characters = 20) =>
        new(
            new string('a', characters),
            "es",
            1,
            true,
            date is null ? null : DateTimeOffset.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
            null,
            $"DocumentReference/{id}",
            "DocumentReference.content"
        );

    private static PatientRecord Record(params ClinicalNote[] notes) =>
        new("Patient/p", new DateOnly(2026, 6, 30), null, Sex.Female, [], [], [], [], notes, []);

    private static IEnumerable<string> Ids(NoteBudgetFit fit) => fit.Record.Notes.Select(n => n.Source);

    [Fact]
    public void Given_notes_within_the_budget_When_fitted_Then_the_record_is_unchanged_without_a_warning()
    {
        var record = Record(Note("a", "2026-01-01"), Note("b", null));

        var fit = RequestBudgets.FitNotes(record, new LimitsOptions { MaxNotes = 2 }, "Patient/p");

        Assert.Same(record, fit.Record);
        Assert.Null(fit.Warning);
        Assert.False(fit.Trimmed);
    }

    [Fact]
    public void Given_more_notes_than_MaxNotes_When_fitted_Then_the_newest_dated_ones_are_kept_in_record_order()
    {
        var record = Record(
            Note("undated", null),
            Note("old", "2025-01-10"),
            Note("newest", "2026-06-01"),
            Note("middle", "2026-02-01T08:00:00+01:00")
        );

        var fit = RequestBudgets.FitNotes(record, new LimitsOptions { MaxNotes = 2 }, "Patient/p");

        Assert.Equal(["DocumentReference/newest", "DocumentReference/middle"], Ids(fit));
        Assert.Equal((2, 40L), (fit.NotesLeftOut, fit.CharactersLeftOut));
        var warning = Assert.IsType<InputIssue>(fit.Warning);
        Assert.Equal(
            (IssueSeverity.Warning, "too-costly", "Patient/p"),
            (warning.Severity, warning.Code, warning.Source)
        );
        Assert.StartsWith(
            "2 of 4 notes (40 characters) were not scored",
            warning.Diagnostics,
            StringComparison.Ordinal
        );
        Assert.Contains("(Clinical:Limits:MaxNotes = 2)", warning.Diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain("MaxNoteCharacters", warning.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_undated_notes_When_dated_ones_fill_the_budget_Then_the_undated_are_left_out_first()
    {
        var record = Record(Note("undated", null), Note("dated", "2020-01-01"));

        var fit = RequestBudgets.FitNotes(record, new LimitsOptions { MaxNotes = 1 }, "Patient/p");

        Assert.Equal(["DocumentReference/dated"], Ids(fit));
    }

    [Fact]
    public void Given_a_newest_note_too_long_When_fitted_Then_older_notes_that_fit_are_kept_and_the_limit_named()
    {
        var record = Record(
            Note("long", "2026-06-01", characters: 1_500),
            Note("short", "2026-05-01", characters: 400),
            Note("older", "2026-04-01", characters: 500)
        );

        var fit = RequestBudgets.FitNotes(record, new LimitsOptions { MaxNoteCharacters = 1_000 }, "Patient/p");

        Assert.Equal(["DocumentReference/short", "DocumentReference/older"], Ids(fit));
        Assert.Equal((1, 1_500L), (fit.NotesLeftOut, fit.CharactersLeftOut));
        var warning = Assert.IsType<InputIssue>(fit.Warning);
        Assert.StartsWith("1 of 3 notes (1,500 characters)", warning.Diagnostics, StringComparison.Ordinal);
        Assert.Contains("(Clinical:Limits:MaxNoteCharacters = 1,000)", warning.Diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain("MaxNotes =", warning.Diagnostics, StringComparison.Ordinal);
    }
}
