using Clinical.Api.Features.Training;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Tests;

namespace Clinical.Api.Tests.Features.Training;

public sealed class WeakLabelsTests
{
    private static readonly Lazy<(WeakLabelSet Set, IReadOnlyList<PatientRecord> Records)> Cohort = new(() =>
    {
        var reader = new FhirInputReader();
        var extractor = new PatientRecordExtractor();
        var issues = new List<InputIssue>();
        var records = new BulkExportReader(reader)
            .ReadByPatient(BulkExportLayout.Discover(FixtureFiles.PathOf("cohort")), issues)
            .SelectMany(g => extractor.Extract(g.Resources, new DateOnly(9999, 12, 31), "cohort").Patients)
            .ToList();
        return (
            new WeakLabels(reader, new BulkExportReader(reader), extractor).FromFolder(
                FixtureFiles.PathOf("cohort"),
                gapDays: 30
            ),
            records
        );
    });

    private static DateOnly Day(DateTimeOffset when) => CalendarDay.Of(when);

    [Fact]
    public void Given_the_fixture_cohort_When_weak_labelling_Then_positives_are_the_patients_with_an_HF_diagnosis()
    {
        var (set, records) = Cohort.Value;
        Assert.Contains(set.Examples, e => e.Example.Label == 1);
        Assert.Contains(set.Examples, e => e.Example.Label == 0);
        foreach (var example in set.Examples)
        {
            var record = records.Single(r => r.PatientReference == example.Example.Id);
            Assert.Equal(record.ActiveHeartFailure.Any() ? 1 : 0, example.Example.Label);
        }
    }

    [Fact]
    public void Given_the_fixture_cohort_When_weak_labelling_Then_no_text_comes_from_after_the_cut_date()
    {
        var (set, records) = Cohort.Value;
        var leaksPossible = 0;
        foreach (var example in set.Examples)
        {
            if (example.Diagnosed is { } diagnosed)
                Assert.Equal(diagnosed.AddDays(-30), example.Cut);
            Assert.All(
                example.Notes,
                n =>
                    Assert.True(
                        Day(n.When!.Value) <= example.Cut,
                        $"{example.Example.Id}: a note of {n.When} is after the cut {example.Cut}"
                    )
            );
            Assert.Equal(string.Join("\n\n", example.Notes.Select(n => n.Text.Trim())), example.Example.Text);

            var record = records.Single(r => r.PatientReference == example.Example.Id);
            var before = record
                .Notes.Where(n => n.When is { } w && Day(w) <= example.Cut)
                .Select(n => n.Text.Trim())
                .ToHashSet(StringComparer.Ordinal);
            var after = record
                .Notes.Where(n => n.When is null || Day(n.When.Value) > example.Cut)
                .Select(n => n.Text.Trim())
                .Where(t => !before.Contains(t))
                .ToList();
            leaksPossible += after.Count;
            Assert.All(after, text => Assert.DoesNotContain(text, example.Example.Text, StringComparison.Ordinal));
        }
        Assert.True(leaksPossible > 0, "the cohort should have notes after some cuts, or this test proves nothing");
    }

    [Fact]
    public void Given_the_fixture_cohort_When_weak_labelling_Then_positive_texts_carry_no_notes_after_diagnosis()
    {
        var (set, records) = Cohort.Value;
        var positives = set.Examples.Where(e => e.Example.Label == 1).ToList();
        Assert.NotEmpty(positives);
        Assert.Contains(
            positives,
            p =>
                records
                    .Single(r => r.PatientReference == p.Example.Id)
                    .Notes.Any(n => n.When is { } w && Day(w) >= p.Diagnosed)
        );
        Assert.All(positives, p => Assert.All(p.Notes, n => Assert.True(Day(n.When!.Value) < p.Diagnosed!.Value)));
    }
}
