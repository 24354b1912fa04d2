using System.Text;
using Clinical.Fhir.Output;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Tests.Output;

public sealed class SummaryDocumentBuilderTests
{
    private static readonly SummaryDocument Summary = new(
        "Patient/p1",
        "Resumen generado por IA.\n\nDisnea de esfuerzo desde hace 3 meses.",
        "es",
        "abstractive",
        "salamandra-2b-instruct",
        "0123456789ab",
        "hf-summary.v1.es",
        12,
        1,
        new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero),
        ["DocumentReference/nota", "Observation/nt", "DocumentReference/nota"]
    );

    [Fact]
    public void Given_a_summary_When_built_Then_DocumentReference_and_Provenance_pass_POCO_validation_and_invariants()
    {
        var resources = SummaryDocumentBuilder.Build(Summary);

        foreach (var resource in resources.All())
            Assert.Empty(EmittedResourceCheck.Problems(FhirJson.Deserialize<Resource>(FhirJson.Serialize(resource))));
    }

    [Fact]
    public void Given_a_summary_When_built_Then_the_document_is_AI_asserted_plain_text_in_its_language()
    {
        var document = SummaryDocumentBuilder.Build(Summary).Document;

        var attachment = Assert.Single(document.Content).Attachment;
        Assert.Equal("text/plain; charset=utf-8", attachment.ContentType);
        Assert.Equal("es", attachment.Language);
        Assert.Equal(Summary.Text, Encoding.UTF8.GetString(attachment.Data!));
        Assert.Equal(ProductCodes.AiAsserted, Assert.Single(document.Meta!.Security).Code);
        Assert.Equal("Patient/p1", document.Subject!.Reference);
        // No origin known for the sources: logical references by their keys, never relative ones (issue 16, item 8).
        Assert.Equal(
            ["DocumentReference/nota", "Observation/nt"],
            document.Context!.Related.Select(r => r.Identifier!.Value)
        );
        Assert.All(document.Context.Related, r => Assert.Null(r.Reference));
    }

    [Fact]
    public void Given_a_summary_When_built_Then_the_Provenance_names_the_model_its_version_and_the_prompt_version()
    {
        var (document, provenance) = SummaryDocumentBuilder.Build(Summary);

        Assert.Equal($"DocumentReference/{document.Id}", Assert.Single(provenance.Target).Reference);
        Assert.Equal("salamandra-2b-instruct 0123456789ab", Assert.Single(provenance.Agent).Who.Display);
        Assert.Equal(SummaryDocumentBuilder.PromptBase + "hf-summary.v1.es", Assert.Single(provenance.Policy));
        Assert.Equal(2, provenance.Entity.Count);
    }

    [Fact]
    public void Given_a_document_without_the_AI_label_When_checked_Then_the_check_reports_it()
    {
        var document = SummaryDocumentBuilder.Build(Summary).Document;
        document.Meta = null;

        Assert.Contains("DocumentReference.meta.security lacks AIAST.", EmittedResourceCheck.Problems(document));
    }
}
