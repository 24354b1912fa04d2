namespace Clinical.Models.Language;

/// <summary>
/// How one language writes the concepts and the words that modify them, as the readable data of the language layer
/// (one file per language, like the generator's glossaries). Every entry is a regular-expression fragment matched
/// against the text with accents folded (write "cardiaca", not "cardíaca"; "ñ" as "n"), case-insensitively unless
/// the fragment says (?-i:...), and only at word boundaries.
/// </summary>
public sealed record LanguageLexicon
{
    /// <summary>ISO 639-1: es, ca, gl, eu.</summary>
    public required string Language { get; init; }

    public required IReadOnlyDictionary<ClinicalConcept, string[]> Concepts { get; init; }

    /// <summary>Phrases that name a concept by its absence: "peso estable" is a denied weight gain.</summary>
    public IReadOnlyDictionary<ClinicalConcept, string[]> Absent { get; init; } =
        new Dictionary<ClinicalConcept, string[]>();

    /// <summary>
    /// Phrases that contain a concept's words without naming it: another meaning of an abbreviation ("IC 2,4
    /// l/min/m²" cardiac index, "IC 95 %", "IC a cardiología" referral), oedema of another organ ("edema macular").
    /// A concept found inside one is dropped. An HF unit is not here: a patient followed there has HF.
    /// </summary>
    public string[] NotMentions { get; init; } = [];

    /// <summary>NegEx pre-negation triggers: "niega", "sin", "no presenta", "descarta".</summary>
    public required string[] NegatedBefore { get; init; }

    /// <summary>NegEx post-negation triggers: "descartada", ": no", Basque "ez", "ukatzen du".</summary>
    public required string[] NegatedAfter { get; init; }

    /// <summary>Uncertainty before the concept: "probable", "sospecha de", "descartar", "no se puede descartar".
    /// </summary>
    public required string[] HedgedBefore { get; init; }

    /// <summary>Uncertainty after the concept: "a descartar", "a estudio", "?".</summary>
    public required string[] HedgedAfter { get; init; }

    public required string[] HypotheticalBefore { get; init; }
    public string[] HypotheticalAfter { get; init; } = [];

    /// <summary>"antecedentes de", "hace 2 años", "en 2019"; their scope runs to the end of the clause.</summary>
    public required string[] HistoricalBefore { get; init; }

    /// <summary>"previa", "hace 2 años" after the concept.</summary>
    public required string[] HistoricalAfter { get; init; }

    /// <summary>ConText experiencer triggers: "madre", "antecedentes familiares de".</summary>
    public required string[] FamilyBefore { get; init; }

    public required string[] FamilyAfter { get; init; }

    /// <summary>
    /// NegEx pseudo-triggers: phrases that contain a trigger's words but modify nothing ("sin embargo", "desde hace 3
    /// meses", "acude con su hija"). They are matched with the triggers, longest first, and then ignored.
    /// </summary>
    public required string[] Pseudo { get; init; }

    /// <summary>Words that end a trigger's scope: "pero", "aunque", "refiere", "presenta", "con".</summary>
    public required string[] Terminators { get; init; }

    /// <summary>
    /// Endings of the concept's own word that deny it: the Basque partitive ("ortopnearik", "edemarik").
    /// </summary>
    public string[] NegatingSuffixes { get; init; } = [];
}
