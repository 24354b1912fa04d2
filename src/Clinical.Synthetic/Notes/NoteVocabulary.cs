using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic.Notes;

/// <summary>
/// The phrases one language offers for each part of a primary-care note. Every slot holds
/// alternatives; templates take their values as {0}, {1}. Each language keeps its own glossary file.
/// </summary>
internal sealed class NoteVocabulary
{
    public required NoteLanguage Language { get; init; }

    public required string[] ReasonChronic { get; init; }
    public required string[] ReasonBloodPressure { get; init; }
    public required string[] ReasonDiabetes { get; init; }
    public required string[] ReasonLabs { get; init; }

    /// <summary>{0} symptom, {1} duration.</summary>
    public required string[] ReasonSymptoms { get; init; }
    public required string[] ReasonExacerbation { get; init; }
    public required string[] ReasonHfDiagnosis { get; init; }
    public required string[] ReasonHfFollowUp { get; init; }
    public required string[] ReasonPrescription { get; init; }
    public required IReadOnlyDictionary<AcuteProblem, string[]> ReasonAcute { get; init; }

    /// <summary>{0} number of days, weeks or months.</summary>
    public required string[] DurationDays { get; init; }
    public required string[] DurationWeeks { get; init; }
    public required string[] DurationMonths { get; init; }

    public required IReadOnlyDictionary<Sign, string[]> SymptomNoun { get; init; }
    public required IReadOnlyDictionary<Sign, string[]> SignPresent { get; init; }
    public required IReadOnlyDictionary<Sign, string[]> SignDenied { get; init; }

    /// <summary>Lead-ins for a list of complaints, e.g. "Refiere".</summary>
    public required string[] Reports { get; init; }

    /// <summary>{0} kilograms gained.</summary>
    public required string[] WeightGained { get; init; }
    public required string[] WellBeing { get; init; }

    public required string[] HistoryLabel { get; init; }
    public required IReadOnlyDictionary<ConditionCategory, string[]> ComorbidityTerms { get; init; }
    public required string[] AnaemiaTerms { get; init; }
    public required string[] VenousTerms { get; init; }

    /// <summary>{0} LVEF.</summary>
    public required string[] KnownHfTerms { get; init; }

    public required string[] ExamLabel { get; init; }
    public required string[] HeartRegular { get; init; }
    public required string[] HeartIrregular { get; init; }
    public required string[] LungsClear { get; init; }
    public required string[] LungsCrackles { get; init; }
    public required string[] LungsWheeze { get; init; }
    public required string[] OedemaPitting { get; init; }
    public required string[] OedemaNonPitting { get; init; }
    public required string[] NoOedema { get; init; }
    public required string[] JugularDistension { get; init; }

    public required string[] BloodPressureLabel { get; init; }
    public required string[] WeightLabel { get; init; }
    public required string[] BmiLabel { get; init; }

    public required string[] LabsLabel { get; init; }
    public required string[] EgfrLabel { get; init; }

    /// <summary>{0} LVEF.</summary>
    public required string[] EchoResult { get; init; }

    public required IReadOnlyDictionary<Impression, string[]> Impressions { get; init; }

    /// <summary>{0} NT-proBNP or BNP text.</summary>
    public required string[] RaisedPeptideWithAf { get; init; }
    public required string[] RaisedPeptideWithCkd { get; init; }
    public required IReadOnlyDictionary<HfPhenotype, string[]> PhenotypeTerms { get; init; }

    public required IReadOnlyDictionary<PlanItem, string[]> Plans { get; init; }

    /// <summary>{0} weeks.</summary>
    public required string[] FollowUpWeeks { get; init; }
    public required string[] NurseAdherence { get; init; }
    public required string[] NurseAdvice { get; init; }
    public required string[] NurseRefers { get; init; }

    /// <summary>{0} months.</summary>
    public required string[] NurseNextVisit { get; init; }

    public required string[] SubjectiveLabel { get; init; }
    public required string[] ObjectiveLabel { get; init; }
    public required string[] AssessmentLabel { get; init; }
    public required string[] PlanLabel { get; init; }
    public required string And { get; init; }

    public static NoteVocabulary For(NoteLanguage language) =>
        language switch
        {
            NoteLanguage.Spanish => SpanishGlossary.Vocabulary,
            NoteLanguage.Catalan => CatalanGlossary.Vocabulary,
            NoteLanguage.Galician => GalicianGlossary.Vocabulary,
            NoteLanguage.Basque => BasqueGlossary.Vocabulary,
            _ => throw new ArgumentOutOfRangeException(nameof(language), language, null),
        };
}
