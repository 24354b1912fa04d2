namespace Clinical.Models.Summaries;

/// <summary>
/// The summary without model weights: the most HF-relevant note sentences verbatim with their dates, key values,
/// history, medications and what is missing, under the label "Resumen extractivo" (in the notes' language). The drug
/// names it recognises are given when it is built.
/// </summary>
public sealed class ExtractiveSummarizer(DrugVocabulary drugs)
{
    public const string ModelName = "clinical-extractive-summary";
    public const string ModelVersion = "1";

    public DrugVocabulary Drugs => drugs;

    public PatientSummary Summarize(
        SummaryInput input,
        SummaryOptions? options = null,
        IReadOnlyList<string>? warnings = null
    )
    {
        options ??= new SummaryOptions();
        var prompt = SummaryPrompt.For(input.Language);
        var evidence = EvidenceSelection.Select(input.Notes, drugs, options.EvidenceTokenBudget);
        var text = prompt.Fill("extractive", SummaryFacts.Slots(input, prompt, evidence));
        var grounding = GroundingCheck.Apply(text, input, drugs, options.Grounding);
        return new PatientSummary(
            input.PatientReference,
            grounding.Text,
            SummaryKind.Extractive,
            prompt.Language,
            ModelName,
            ModelVersion,
            prompt.Version,
            grounding,
            warnings ?? [],
            SummaryFacts.Sources(input, evidence)
        );
    }
}
