using System.Globalization;
using Clinical.Models.Language;
using Clinical.Models.Scoring.Evidence;

namespace Clinical.Models.Scoring.Wording;

/// <summary>
/// One language's phrase table: every word a clinician reads about a screening (the RiskAssessment's explanation and
/// evidence, the Flag, the CDS card), as short phrases and the little grammar that joins values into them. One class
/// per language (<see cref="SpanishPhrases"/>, <see cref="CatalanPhrases"/>, <see cref="GalicianPhrases"/>,
/// <see cref="BasquePhrases"/>); <see cref="RiskWording"/> formats the values (numbers, dates, percentages) and
/// composes the texts. Clinical terms follow the project's summaries (Summaries/Prompts): FEVI (es), FEVE (ca, gl),
/// EBEF (eu).
/// </summary>
public abstract class Phrases
{
    /// <summary>ISO 639-1 code.</summary>
    public abstract string Language { get; }

    /// <summary>Numbers: decimal comma and grouping point in all four languages.</summary>
    public abstract CultureInfo Culture { get; }

    public virtual string DateFormat => "dd/MM/yyyy";

    /// <summary>A percentage from its number ("86 %"; Basque writes the sign first, "% 86").</summary>
    public virtual string Percent(string number) => $"{number} %";

    /// <summary>The conjunction before the last item of a list.</summary>
    public abstract string And { get; }

    public abstract string HeartFailure { get; }

    /// <summary>The abbreviation of LVEF used in this language's clinical notes.</summary>
    public abstract string Lvef { get; }

    public abstract string Level(RiskCategory category);

    /// <summary>"Riesgo moderado": the level as a heading (for certain, known HF).</summary>
    public abstract string Risk(RiskCategory category);

    /// <summary>A concept of the clinical-language layer, as a clinician names it.</summary>
    public abstract string Sign(ClinicalConcept concept);

    public abstract string SignState(Assertion assertion);

    public abstract string EjectionFractionBand(EjectionFractionCategory category);

    public abstract string AgainstThreshold(bool above, string threshold);

    public abstract string Trend(TrendDirection direction, string previous);

    public abstract string MaximumRecorded { get; }

    /// <summary>A stale peptide's age and the request to repeat it ("de hace 3 años: repetir").</summary>
    public abstract string RepeatPeptide(int? years);

    /// <summary>An old LVEF's age and the request for a new echocardiogram.</summary>
    public abstract string RepeatEchocardiogram(int years);

    /// <summary>Old evidence named in the confidence sentence ("NT-proBNP de hace 3 años: repetir").</summary>
    public virtual string OldEvidence(string label, string repeat) => $"{label} {repeat}";

    public abstract string NoteSign(string dateSuffix, string quote, string sign, string assertion);

    public abstract string Drug(string drug, DrugReason reason);

    public abstract string NoteClassifier(string percent, string dateSuffix);

    public abstract string KnownDiagnosis(string description);

    public abstract string NoRecentPeptide { get; }

    public abstract string NoEchocardiogram { get; }

    public abstract string H2FpefItem(H2FpefComponent component, string? value);

    public abstract string H2FpefMissingInput(H2FpefInput input);

    public abstract string H2Fpef(string score, string present, string missing);

    public abstract string AffirmedSigns(string signs, int notes);

    public abstract string Missing(MissingData missing);

    /// <summary>The heading of the missing data after the explanation ("Falta").</summary>
    public abstract string MissingHeading { get; }

    public abstract string NotesClassifierSentence(string percent);

    /// <summary>The guideline floor: its criteria and, when it set the level, that it did.</summary>
    public abstract string Floor(string criteria, bool decided);

    public abstract string LowConfidence { get; }

    public abstract string NotReassuring { get; }

    public abstract string KnownHeartFailure(string description, string? since);

    public abstract string EvidenceHeading { get; }

    public abstract string AndMore(int count);

    public abstract string Characters(int start, int end);

    /// <summary>The Flag's text and the card's headline.</summary>
    public abstract string PossibleUndiagnosedHeartFailure { get; }

    /// <summary>How a summary document refers to the RiskAssessment it belongs to.</summary>
    public abstract string RiskAssessmentTitle { get; }

    public abstract string CardSource(string model);

    public abstract string OpenDashboard { get; }

    /// <summary>The warning card's summary (&lt; 140 characters): consider echocardiography or NT-proBNP.</summary>
    public abstract string ConsiderEchocardiography { get; }

    public abstract string ConsiderNtProBnp { get; }

    public abstract string RequestEchocardiography { get; }

    public abstract string RequestEchocardiographyDetail { get; }

    public abstract string RequestNtProBnp { get; }

    public abstract string RequestNtProBnpDetail(string loinc);

    public abstract string RequestEchocardiographyForLvef { get; }

    /// <summary>The info card's summary (&lt; 140 characters) and its opening paragraph (Markdown).</summary>
    public abstract string KnownWithoutLvefSummary { get; }

    public abstract string KnownWithoutLvefDetail { get; }

    /// <summary>"Riesgo estimado: **moderado** (43 %), a fecha 30/06/2026."</summary>
    public abstract string EstimatedRisk(string level, string percent, string date);

    /// <summary>For known HF: no probability, the state and the date.</summary>
    public abstract string KnownHeartFailureAsOf(string date);

    public abstract string Disclaimer(string model);

    /// <summary>
    /// Displays of the card's override reasons, by code (already-evaluated, alternative-explanation,
    /// patient-declined, not-appropriate).
    /// </summary>
    public abstract string OverrideReason(string code);
}
