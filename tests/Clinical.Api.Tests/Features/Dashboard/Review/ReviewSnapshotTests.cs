using Clinical.Api.Features.Dashboard.Review;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Models.Scoring;
using Clinical.Models.Scoring.Wording;
using Clinical.Tests;

namespace Clinical.Api.Tests.Features.Dashboard.Review;

public sealed class ReviewSnapshotTests
{
    [Fact]
    public void Given_a_flagged_record_When_its_snapshot_is_kept_Then_mentions_point_at_their_words_and_series_hold()
    {
        var parsed = new FhirInputReader(new InputLimits()).Read(
            FixtureFiles.Bundle(FixtureFiles.CatalanSuspicion),
            "fixture"
        );
        var record = new PatientRecordExtractor()
            .Extract(parsed.Resources, new DateOnly(2026, 6, 30), "fixture")
            .Patients.Single();
        var estimate = RiskEngine
            .RulesOnly()
            .Assess(Clinical.Api.Features.Screening.ScreeningMapping.ToRiskInput(record));

        var catalan = RiskWording.For("ca");
        var snapshot = ReviewSnapshot.FromJson(ReviewSnapshot.From(record, estimate, catalan).ToJson());

        Assert.Equal("Practitioner/medico-1", Assert.Single(record.Attribution.GeneralPractitioners));
        Assert.Equal("Organization/cs-norte", record.Attribution.Practice);
        Assert.Equal(ReviewSnapshot.NextNtProBnp, snapshot.NextStep);
        Assert.Contains(snapshot.Series, m => m.Kind == ReviewMeasurement.Weight && m.Value == 81.5);
        var mentions = snapshot
            .Notes.SelectMany(n => n.Passages)
            .SelectMany(p => p.Mentions.Select(m => (Words: p.Text.Substring(m.Start, m.Length), m.Assertion)))
            .ToList();
        Assert.Contains(("ortopnea", "Negated"), mentions);
        Assert.Contains(("crepitants", "Affirmed"), mentions);
        Assert.Equal(estimate.Findings.Count, snapshot.Findings.Count);
        Assert.Equal(catalan.Describe(estimate.Findings[0]), snapshot.Findings[0].Description);
    }
}
