namespace Clinical.Models.Language;

/// <summary>
/// Basque as primary-care notes write it, with the Spanish abbreviations (IC, DPN, EEII) inside Basque sentences.
/// Basque denies a finding with the partitive on the noun ("ez du ortopnearik", "edemarik ez", "fobearik gabe") or
/// with a verb after it ("arnasestua ukatzen du", "IC baztertzen da"), so most triggers follow the concept. A word in
/// the partitive between a concept and a trailing trigger is that trigger's own object and ends its scope
/// ("edemak fobearik gabe": the oedema is present).
/// </summary>
internal static class BasqueLexicon
{
    public static readonly LanguageLexicon Lexicon = new()
    {
        Language = "eu",
        Concepts = new Dictionary<ClinicalConcept, string[]>
        {
            [ClinicalConcept.HeartFailure] =
            [
                @"bihotz[- ]?gutxiegitasun\w*",
                @"bihotz[- ]?hutsegite\w*",
                @"(?-i:ICC?)(?:rik|-(?:a|ak|rik|arekin|aren|ari))",
            ],
            [ClinicalConcept.ExertionalDyspnoea] = [@"arnas[- ]?estu\w*", @"ibiltzean itotzea"],
            [ClinicalConcept.Orthopnoea] = [@"\d+ burukorekin lo egiten", @"eserita lo egiten"],
            [ClinicalConcept.ParoxysmalNocturnalDyspnoea] =
            [
                @"gaueko arnas[- ]?estu\w*",
                @"gauez itota esnatzen",
                @"(?-i:DPN)rik",
            ],
            [ClinicalConcept.Oedema] = [@"orkatil\w* puztu\w*", @"hank\w* puztu\w*"],
            [ClinicalConcept.Crackles] = [@"krepitante\w*"],
            [ClinicalConcept.RaisedJugularPressure] = [@"zain jugularren ingurgitazio\w*", @"ingurgitazio jugular\w*"],
            [ClinicalConcept.WeightGain] =
            [
                @"pisua (?:igo|hartu) (?:zaio|da|du)",
                @"pisu[- ]?igoera\w*",
                @"[\d.,]+ kg (?:irabazi|igo)(?: (?:ditu|du|zaizkio))?",
                @"gizendu (?:egin )?da",
            ],
            [ClinicalConcept.Nocturia] = [@"niktoria\w*", @"altxatzen da gernua egitera"],
            [ClinicalConcept.Fatigue] = [@"neke(?:a|rik)?", @"erraz nekatzen"],
            [ClinicalConcept.ThirdHeartSound] = [@"hirugarren (?:bihotz[- ])?soinu\w*"],
            [ClinicalConcept.NatriureticPeptide] = [@"peptido natriuretiko\w*"],
            [ClinicalConcept.Echocardiogram] = [@"ekokardiogram\w*", @"ejekzio[- ]frakzio\w*"],
            [ClinicalConcept.Cardiomegaly] = [@"kardiomegali\w*"],
            [ClinicalConcept.PleuralEffusion] = [@"isuri pleural\w*", @"pleura[- ]isuri\w*"],
            [ClinicalConcept.AtrialFibrillation] = [@"fibrilazio aurikular\w*"],
        },
        Absent = new Dictionary<ClinicalConcept, string[]>
        {
            [ClinicalConcept.WeightGain] = [@"pisu egonkorra", @"pisua egonkor"],
        },
        NotMentions = [@"(?-i:IC) kardiologia\w*"],
        NegatedBefore = [@"ez", @"ez (?:du|dago|da|dauka|dio|zaio)"],
        NegatedAfter =
        [
            @"ez",
            @"ez (?:du|dago|da)",
            @"ukatzen du",
            @"ukatu (?:du|egiten du)",
            @"gabe",
            @"baztertzen da",
            @"baztertu da",
            @"baztertuta",
            @"nekez",
            @"negatibo\w*",
        ],
        HedgedBefore = [@"litekeena(?: da)?", @"baliteke", @"ziurrenik", @"agian", @"seguru asko"],
        HedgedAfter =
        [
            @"susmo\w*",
            @"baztertzeko",
            @"baztertu behar da",
            @"aztertzeko",
            @"zalantzazko\w*",
            @"izan daiteke",
        ],
        HypotheticalBefore = [],
        HypotheticalAfter = [@"arrisku\w*", @"agertzen (?:bada|badira)", @"kasuan", @"saihesteko", @"prebenitzeko"],
        HistoricalBefore =
        [
            @"aurrekari(?:ak|a)?(?: pertsonal\w*)?(?::)?",
            @"(?:orain )?dela (?:\d+|bat|bi|hiru|lau|bost) (?:urte|hilabete)\w*",
            @"lehenago",
        ],
        HistoricalAfter = [@"(?:orain )?dela (?:\d+|bat|bi|hiru|lau|bost) (?:urte|hilabete)\w*", @"lehenago"],
        FamilyBefore =
        [
            @"familia(?:ko)?[- ]aurrekari\w*",
            @"(?:aita|ama|aitona|amona)(?:k|ren|ri)?",
            @"(?:anaia|arreba|ahizpa|neba|seme|alaba)\w*",
        ],
        FamilyAfter = [],
        Pseudo = [@"dela (?:\d+|bat|bi|hiru|lau|bost) \w+tik", @"aurreko kontrol\w*"],
        Terminators = [@"baina", @"hala ere", @"aipatzen du", @"dio"],
        NegatingSuffixes = ["rik"],
    };
}
