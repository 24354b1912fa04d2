using System.Text;
using Hl7.Fhir.Model;

namespace Clinical.Synthetic.Resources;

/// <summary>Progress notes as DocumentReference with an inline base64 text/plain attachment.</summary>
internal sealed partial class FhirResources
{
    private DocumentReference NoteResource(
        ClinicalVisit visit,
        string text,
        NoteLanguage language,
        bool tagLanguage,
        ResourceReference author,
        ResourceReference encounter
    )
    {
        var authorWithRole = new ResourceReference(
            author.Reference,
            visit.Author == CareRole.Physician ? "Médico de familia" : "Enfermera"
        )
        {
            Type = "PractitionerRole",
        };
        var written = visit.Start.AddMinutes(visit.Author == CareRole.Physician ? 9 : 14);
        return new DocumentReference
        {
            Status = DocumentReferenceStatus.Current,
            DocStatus = CompositionStatus.Final,
            Type = Concept(SyntheticCodes.ProgressNote),
            Subject = _patient,
            Date = SpanishCalendar.At(written, _region),
            Author = [authorWithRole],
            Content =
            [
                new DocumentReference.ContentComponent
                {
                    Attachment = new Attachment
                    {
                        ContentType = "text/plain; charset=utf-8",
                        Language = tagLanguage ? language.ToCode() : null,
                        Data = Encoding.UTF8.GetBytes(text),
                        Creation = SpanishCalendar.FhirDateTime(written, _region),
                    },
                },
            ],
            Context = new DocumentReference.ContextComponent { Encounter = [encounter] },
        };
    }
}
