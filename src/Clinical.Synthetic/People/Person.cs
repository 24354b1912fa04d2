using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic.People;

/// <summary>The sampled person behind one synthetic patient, before any visit is generated.</summary>
internal sealed record Person
{
    public required int Index { get; init; }
    public required string Id { get; init; }
    public required Sex Sex { get; init; }
    public required DateOnly BirthDate { get; init; }
    public required int AgeAtAsOf { get; init; }
    public required string Region { get; init; }
    public required NoteLanguage RegionalLanguage { get; init; }
    public required double RegionalNoteShare { get; init; }
    public required double HeightM { get; init; }
    public required double BaselineBmi { get; init; }
    public required IReadOnlyDictionary<ConditionCategory, DateOnly> Comorbidities { get; init; }
    public required bool Anaemia { get; init; }
    public required bool VenousInsufficiency { get; init; }
    public required bool OnAmlodipine { get; init; }
    public required bool AmlodipineOedema { get; init; }
    public required bool CopdExacerbator { get; init; }
    public required HfStatus HfStatus { get; init; }
    public DateOnly? HfOnset { get; init; }
    public DateOnly? HfDiagnosis { get; init; }
    public HfPhenotype? Phenotype { get; init; }
    public double? Lvef { get; init; }

    public bool Has(ConditionCategory comorbidity) => Comorbidities.ContainsKey(comorbidity);

    public bool Female => Sex == Sex.Female;

    public IReadOnlyList<HfMimic> Mimics()
    {
        var mimics = new List<HfMimic>();
        if (CopdExacerbator)
        {
            mimics.Add(HfMimic.CopdExacerbation);
        }
        if (AmlodipineOedema)
        {
            mimics.Add(HfMimic.AmlodipineOedema);
        }
        if (Has(ConditionCategory.Obesity))
        {
            mimics.Add(HfMimic.Obesity);
        }
        if (Anaemia)
        {
            mimics.Add(HfMimic.Anaemia);
        }
        if (VenousInsufficiency)
        {
            mimics.Add(HfMimic.VenousInsufficiency);
        }
        if (Has(ConditionCategory.ChronicKidneyDisease))
        {
            mimics.Add(HfMimic.ChronicKidneyDisease);
        }
        if (Has(ConditionCategory.AtrialFibrillation))
        {
            mimics.Add(HfMimic.AtrialFibrillation);
        }
        return mimics;
    }
}
