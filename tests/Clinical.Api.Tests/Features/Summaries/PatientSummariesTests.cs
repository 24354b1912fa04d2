using Clinical.Api.Features.Summaries;
using Clinical.Api.Hosting;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Clinical.Models.Summaries;
using Clinical.Tests;

namespace Clinical.Api.Tests.Features.Summaries;

public sealed class PatientSummariesTests
{
    private static PatientRecord Record(string fixture)
    {
        var parsed = new FhirInputReader(new InputLimits()).Read(FixtureFiles.Bundle(fixture), fixture);
        return Assert.Single(
            new PatientRecordExtractor().Extract(parsed.Resources, new DateOnly(2026, 6, 30), fixture).Patients
        );
    }

    [Fact]
    public void Given_a_flagged_record_When_summarized_Then_DocumentReference_and_Provenance_validate_and_name_prompt()
    {
        using var summaries = new PatientSummaries(new ClinicalOptions(), TimeProvider.System);

        var summary = summaries.Summarize(Record(FixtureFiles.PossibleUndiagnosedHeartFailure));
        var resources = summaries.ToFhir(summary);

        Assert.Equal(SummaryKind.Extractive, summary.Kind);
        Assert.Equal("Patient/fx-posible-ic", resources.Document.Subject!.Reference);
        Assert.Equal(
            SummaryDocumentBuilder.PromptBase + "hf-summary.v1.es",
            Assert.Single(resources.Provenance.Policy)
        );
        Assert.Contains(resources.Provenance.Entity, e => e.What.Reference == "Observation/fx-posible-ntprobnp");
        foreach (var resource in resources.All())
            Assert.Empty(EmittedResourceCheck.Problems(resource));
    }

    [Fact]
    public void Given_the_fixture_record_When_mapped_Then_values_dates_and_language_come_from_the_record()
    {
        var input = SummaryMapping.ToSummaryInput(Record(FixtureFiles.PossibleUndiagnosedHeartFailure));

        Assert.Equal("es", input.Language);
        var peptide = Assert.Single(input.Of(KeyValueKind.NtProBnp));
        Assert.Equal((870m, new DateOnly(2026, 3, 12)), (decimal.Round(peptide.Value), peptide.When));
        Assert.Equal(new DateOnly(2026, 3, 5), Assert.Single(input.Notes).When);
        Assert.Contains(input.Diagnoses, d => d.Display == "Diabetes mellitus tipo 2");
    }

    [Fact]
    public void Given_the_drug_lexicon_When_mapped_for_the_summaries_Then_names_in_every_language_are_found()
    {
        var found = SummaryMapping.Drugs.Find(
            "Inicio furosemida; tomaba Seguril. Espironolaktona 25 mg. Amlodipina i bisoprolol. Entresto."
        );

        Assert.Equal(
            [
                ("furosemida", true),
                ("furosemida", true),
                ("espironolactona", true),
                ("amlodipino", false),
                ("bisoprolol", false),
                ("sacubitrilo/valsartán", true),
            ],
            found.Select(d => (d.Name, d.SuggestsHeartFailure))
        );
    }

    [Fact]
    public void Given_a_summary_naming_a_drug_the_record_lacks_When_grounded_Then_the_claim_is_unsupported()
    {
        var input = SummaryMapping.ToSummaryInput(Record(FixtureFiles.DiagnosedHeartFailure));

        var report = GroundingCheck.Apply("Inicia enalapril. Toma furosemida.", input, SummaryMapping.Drugs);

        Assert.Equal("Toma furosemida.", report.Text);
        Assert.Equal((ClaimKind.Drug, "enalapril"), (report.FailedClaims[0].Kind, report.FailedClaims[0].Text));
    }

    [Fact]
    public void Given_a_configured_model_folder_When_none_is_requested_Then_the_setting_is_used_and_a_request_wins()
    {
        using var summaries = new PatientSummaries(
            new ClinicalOptions { SummarizerModel = "/models/salamandra-2b-instruct" },
            TimeProvider.System
        );

        Assert.Equal("/models/salamandra-2b-instruct", summaries.ModelFolder(null));
        Assert.Equal("/tmp/other", summaries.ModelFolder("/tmp/other"));
    }
}
