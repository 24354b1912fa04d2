using System.Text;
using Clinical.Fhir.Terminology;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Output;

/// <summary>
/// A patient summary as the Fhir side sees it: the text, its language, how it was made (model, version, prompt
/// version, extractive or abstractive), the grounding figures, and the resources it was drawn from.
/// </summary>
public sealed record SummaryDocument(
    string PatientReference,
    string Text,
    string Language,
    string Kind,
    string ModelName,
    string ModelVersion,
    string PromptVersion,
    int ClaimsChecked,
    int ClaimsFailed,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Sources
)
{
    /// <summary>Where the patient and the sources live, so the document's references resolve in the EHR.</summary>
    public Extraction.SourceLinks Links { get; init; } = Extraction.SourceLinks.Empty;
}

/// <summary>
/// The DocumentReference holding a summary and the Provenance naming the model, its version and the prompt version.
/// </summary>
public sealed record SummaryResources(DocumentReference Document, Provenance Provenance)
{
    public IEnumerable<Resource> All()
    {
        yield return Document;
        yield return Provenance;
    }
}

/// <summary>
/// Emits an AI-written (or extractive) patient summary as a DocumentReference (text/plain, language, meta.security
/// AIAST per the HL7 AI Transparency IG) and a Provenance whose agent is the model with its version and whose policy
/// is the prompt version, written as explicit initialisers.
/// </summary>
public static class SummaryDocumentBuilder
{
    public const string PatientSummaryDocument = "60591-5";
    public const string PromptBase = "https://hf-screening.invalid/fhir/prompts/";
    public const string GroundingExtension = "https://hf-screening.invalid/fhir/StructureDefinition/summary-grounding";

    /// <summary>
    /// The DocumentReference and its Provenance; ids from <paramref name="ids"/> (random by default).
    /// </summary>
    public static SummaryResources Build(SummaryDocument summary, ResourceIds? ids = null)
    {
        ids ??= ResourceIds.Random;
        var documentId = ids.For("DocumentReference");
        var model = $"{summary.ModelName} {summary.ModelVersion}";
        const string title = "Resumen de la historia clínica (insuficiencia cardiaca)";
        var description =
            $"Resumen {(summary.Kind == "abstractive" ? "generado por IA" : "extractivo")} "
            + $"({model}, prompt {summary.PromptVersion}); "
            + $"comprobación de datos: {summary.ClaimsChecked - summary.ClaimsFailed} de {summary.ClaimsChecked} "
            + "verificados. Apoyo a la decisión clínica, no diagnóstico.";
        var document = new DocumentReference
        {
            Id = documentId,
            Meta = new Meta
            {
                Security = [new Coding(ProductCodes.ObservationValueSystem, ProductCodes.AiAsserted, "AI asserted")],
            },
            Text = NarrativeText.Generated(title, description),
            Status = DocumentReferenceStatus.Current,
            DocStatus = CompositionStatus.Preliminary,
            Type = new CodeableConcept(
                Loinc.System,
                PatientSummaryDocument,
                "Patient summary Document",
                "Resumen de la historia para cribado de insuficiencia cardiaca"
            ),
            Subject = summary.Links.Subject(summary.PatientReference),
            Date = summary.CreatedAt,
            Author = [new ResourceReference { Display = model }],
            Description = description,
            Content =
            [
                new DocumentReference.ContentComponent
                {
                    Attachment = new Attachment
                    {
                        ContentType = "text/plain; charset=utf-8",
                        Language = summary.Language,
                        Data = Encoding.UTF8.GetBytes(summary.Text),
                        Title = title,
                        CreationElement = new FhirDateTime(summary.CreatedAt),
                    },
                },
            ],
            Context = new DocumentReference.ContextComponent
            {
                Related = summary
                    .Sources.Distinct(StringComparer.Ordinal)
                    .Select(source => summary.Links.Reference(source))
                    .ToList(),
            },
        };
        document.AddExtension(
            GroundingExtension,
            new FhirString($"{summary.Kind}; claims checked {summary.ClaimsChecked}, failed {summary.ClaimsFailed}")
        );

        var provenance = new Provenance
        {
            Id = ids.For("summary-Provenance"),
            Target = [new ResourceReference($"DocumentReference/{documentId}")],
            Recorded = summary.CreatedAt,
            Policy = [PromptBase + summary.PromptVersion],
            Activity = new CodeableConcept(
                "http://terminology.hl7.org/CodeSystem/v3-DataOperation",
                "CREATE",
                "create"
            ),
            Agent =
            [
                new Provenance.AgentComponent
                {
                    Type = new CodeableConcept(
                        "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                        "author",
                        "Author"
                    ),
                    Who = new ResourceReference { Display = model },
                },
            ],
            Entity = summary
                .Sources.Distinct(StringComparer.Ordinal)
                .Select(source => new Provenance.EntityComponent
                {
                    Role = Provenance.ProvenanceEntityRole.Source,
                    What = summary.Links.Reference(source),
                })
                .ToList(),
        };
        return new SummaryResources(document, provenance);
    }
}
