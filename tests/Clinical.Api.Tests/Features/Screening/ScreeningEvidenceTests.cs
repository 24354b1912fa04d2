using Clinical.Api.Features.Screening;
using Clinical.Api.Hosting;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Clinical.Models.Scoring;
using Clinical.Tests;
using Hl7.Fhir.Model;

namespace Clinical.Api.Tests.Features.Screening;

/// <summary>
/// The fixture bundles through the full engine (committed tabular model and stacking): levels, evidence that points at
/// real resources, note spans, Spanish explanation.
/// </summary>
public sealed class ScreeningEvidenceTests
{
    private static readonly DateOnly AsOf = new(2026, 6, 30);
    private static readonly Lazy<RiskEngine> Engine = new(() =>
        RiskEngineLoader.Load(FixtureFiles.PathOf("models", "hf-tabular"), null)
    );

    private static (ScreeningReport Report, ParsedInput Input) Screen(string json)
    {
        var parsed = new FhirInputReader().Read(json, "test");
        var record = Assert.Single(new PatientRecordExtractor().Extract(parsed.Resources, AsOf, "test").Patients);
        return (
            ScreeningMapping.ToReport(
                record,
                Engine.Value.Assess(ScreeningMapping.ToRiskInput(record)),
                DateTimeOffset.UnixEpoch,
                ScreeningMapping.LanguageOf(record, null)
            ),
            parsed
        );
    }

    private static void AssertEvidencePointsAtTheInput(ScreeningReport report, ParsedInput input)
    {
        var resources = input.Resources.ToDictionary(
            r => $"{r.Resource.TypeName}/{r.Resource.Id}",
            r => r.Resource,
            StringComparer.Ordinal
        );
        Assert.NotEmpty(report.Evidence);
        foreach (var item in report.Evidence)
        {
            Assert.True(resources.ContainsKey(item.Reference), $"{item.Reference} is not in the input");
            if (item.SpanStart is not { } start)
                continue;
            var text = System.Text.Encoding.UTF8.GetString(
                ((DocumentReference)resources[item.Reference]).Content[0].Attachment.Data!
            );
            Assert.Contains(text.Substring(start, item.SpanLength!.Value), item.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Given_possible_HF_When_screened_Then_it_is_flagged_with_the_peptide_first_and_note_signs_with_spans()
    {
        var (report, input) = Screen(FixtureFiles.Bundle(FixtureFiles.PossibleUndiagnosedHeartFailure));

        Assert.True(report.FlagsPossibleUndiagnosedHeartFailure, report.Level.ToString());
        Assert.Equal("Observation/fx-posible-ntprobnp", report.Evidence[0].Reference);
        Assert.Contains(
            report.Evidence,
            e => e.Reference == "DocumentReference/fx-posible-nota" && e.SpanStart is not null
        );
        Assert.StartsWith("Riesgo ", report.Text.Explanation, StringComparison.Ordinal);
        Assert.Contains(
            "NT-proBNP 870,2 pg/mL (12/03/2026) por encima de 125",
            report.Text.Explanation,
            StringComparison.Ordinal
        );
        Assert.Contains("sin ecocardiograma", report.Text.Explanation, StringComparison.Ordinal);
        Assert.Contains("tabular=", report.Rationale, StringComparison.Ordinal);
        AssertEvidencePointsAtTheInput(report, input);
    }

    [Fact]
    public void Given_the_diagnosed_fixture_When_screened_Then_it_is_certain_with_the_diagnosis_as_evidence_no_flag()
    {
        var (report, input) = Screen(FixtureFiles.Bundle(FixtureFiles.DiagnosedHeartFailure));

        Assert.Equal(RiskLevel.Certain, report.Level);
        Assert.False(report.FlagsPossibleUndiagnosedHeartFailure);
        Assert.Null(ScreeningResourceBuilder.Build(report, "Device/x").Flag);
        Assert.Equal("Condition/fx-ic-dx", Assert.Single(report.Evidence).Reference);
        AssertEvidencePointsAtTheInput(report, input);
    }

    [Fact]
    public void Given_the_no_suspicion_fixture_When_screened_Then_it_is_not_flagged_and_rests_on_the_low_peptide()
    {
        var (report, input) = Screen(FixtureFiles.Bundle(FixtureFiles.NoSuspicion));

        Assert.True(report.Level is RiskLevel.Negligible or RiskLevel.Low, report.Level.ToString());
        Assert.Equal("Observation/fx-sana-ntprobnp", report.Evidence[0].Reference);
        Assert.Contains("por debajo de 125", report.Text.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("Confianza baja", report.Text.Explanation, StringComparison.Ordinal);
        AssertEvidencePointsAtTheInput(report, input);
    }

    [Fact]
    public void Given_no_clinical_data_When_screened_Then_it_is_low_with_low_confidence_and_asks_for_NT_proBNP()
    {
        const string json = """{"resourceType":"Patient","id":"vacio","birthDate":"1950-01-01","gender":"male"}""";

        var (report, _) = Screen(json);

        Assert.Equal(RiskLevel.Low, report.Level);
        Assert.Contains("Confianza baja", report.Text.Explanation, StringComparison.Ordinal);
        Assert.Contains("Falta: NT-proBNP", report.Text.Explanation, StringComparison.Ordinal);
        Assert.Contains("LOW CONFIDENCE", report.Rationale, StringComparison.Ordinal);
    }
}
