using System.Net.Http.Headers;
using System.Text;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Features.Screening;

/// <summary>
/// What a clinician reads follows the notes' language (es, ca, gl, eu), or Clinical:Language when it is set; never
/// English level codes nor decimal points.
/// </summary>
public sealed class ReportLanguageTests
{
    private static async Task<List<Resource>> Screen(ClinicalApiFactory factory, string fixture)
    {
        using var client = factory.CreateFhirClient();
        using var content = new StringContent(
            FixtureFiles.Bundle(fixture),
            Encoding.UTF8,
            new MediaTypeHeaderValue("application/fhir+json")
        );
        using var response = await client.PostAsync(
            new Uri("/fhir/Bundle/$hf-screen?asOf=2026-06-30", UriKind.Relative),
            content
        );
        response.EnsureSuccessStatusCode();
        return FhirJson
            .Deserialize<Bundle>(await response.Content.ReadAsStringAsync())
            .Entry.Select(e => e.Resource!)
            .ToList();
    }

    [Fact]
    public async Task Given_Catalan_notes_When_screened_Then_the_RiskAssessment_and_the_Flag_are_worded_in_Catalan()
    {
        using var factory = new ClinicalApiFactory();

        var resources = await Screen(factory, FixtureFiles.CatalanSuspicion);

        var risk = Assert.Single(resources.OfType<RiskAssessment>());
        Assert.Equal("ca", risk.Language);
        var note = risk.Note[0].Text!;
        Assert.Matches(@"^Risc (moderat|alt) \(\d+ %\): ", note);
        Assert.Contains("\n\nEvidència:\n1. ", note, StringComparison.Ordinal);
        Assert.Contains("sense NT-proBNP recent", note, StringComparison.Ordinal);
        Assert.DoesNotContain("Riesgo", note, StringComparison.Ordinal);
        Assert.Equal("Insuficiència cardíaca", risk.Prediction[0].Outcome!.Text);
        var flag = Assert.Single(resources.OfType<Flag>());
        Assert.Equal("Possible insuficiència cardíaca no diagnosticada", flag.Code!.Text);
        var summary = Assert.Single(resources.OfType<DocumentReference>());
        Assert.Equal(
            "Avaluació del risc d'insuficiència cardíaca",
            summary.Context!.Related.Single(r => r.Reference == $"RiskAssessment/{risk.Id}").Display
        );
    }

    [Fact]
    public async Task Given_Clinical_Language_eu_When_a_patient_with_Spanish_notes_is_screened_Then_texts_are_Basque()
    {
        using var factory = new ClinicalApiFactory
        {
            Settings = new Dictionary<string, string?> { ["Clinical:Language"] = "eu" },
        };

        var resources = await Screen(factory, FixtureFiles.PossibleUndiagnosedHeartFailure);

        var risk = Assert.Single(resources.OfType<RiskAssessment>());
        Assert.Equal("eu", risk.Language);
        Assert.Matches(
            @"^Arrisku (ertaina|handia) \(% \d+\): NT-proBNP 870,2 pg/mL \(2026/03/12\)",
            risk.Note[0].Text!
        );
        Assert.Equal(
            "Diagnostikatu gabeko bihotz-gutxiegitasun posiblea",
            Assert.Single(resources.OfType<Flag>()).Code!.Text
        );
    }

    [Fact]
    public void Given_an_unsupported_Clinical_Language_When_the_host_starts_Then_it_refuses_naming_the_choices()
    {
        using var factory = new ClinicalApiFactory
        {
            Settings = new Dictionary<string, string?> { ["Clinical:Language"] = "fr" },
        };

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Clinical:Language 'fr' is not supported; use es, ca, gl or eu", error.ToString());
    }
}
