namespace Clinical.Models.Language;

/// <summary>
/// Catalan as primary-care notes write it (dispnea d'esforç, edemes mal·leolars, crepitants, ingurgitació jugular,
/// augment de pes; "nega", "sense", "no refereix"; "sospita de", "a descartar"; "fa 2 anys" for the past).
/// Triggers as in <see cref="SpanishLexicon"/> (NegEx and its Spanish adaptations), translated.
/// </summary>
internal static class CatalanLexicon
{
    public static readonly LanguageLexicon Lexicon = new()
    {
        Language = "ca",
        Concepts = new Dictionary<ClinicalConcept, string[]>
        {
            [ClinicalConcept.HeartFailure] =
            [
                @"insuficiencies? cardiaques?(?: congestives?)?",
                @"insuficiencia cardiaca(?: congestiva)?",
                @"descompensacio cardiaca",
            ],
            [ClinicalConcept.ExertionalDyspnoea] =
            [
                @"dispnea(?: d'esforc| a (?:\w+ )?esforcos| en pujar(?: \w+){0,2})?",
                @"ofec(?: en (?:caminar|pujar(?: \w+){0,2}))?",
                @"fatiga en caminar",
                @"es cansa en pujar escales",
            ],
            [ClinicalConcept.Orthopnoea] =
            [
                @"ortopnea\w*(?: de \d+ coixins)?",
                @"dorm incorporat",
                @"dorm incorporada",
                @"(?:necessita )?(?:\d+|diversos) coixins(?: per dormir)?",
                @"ofec en estirar-se",
            ],
            [ClinicalConcept.ParoxysmalNocturnalDyspnoea] =
            [
                @"dispnea paroxistica nocturna",
                @"dispnea nocturna",
                @"ofec a la nit",
                @"es desperta (?:a la nit )?amb ofec",
            ],
            [ClinicalConcept.Oedema] = [@"turmells inflats", @"cames inflades", @"inflor de (?:turmells|cames)"],
            [ClinicalConcept.Crackles] = [@"crepitants?", @"estertors"],
            [ClinicalConcept.RaisedJugularPressure] =
            [
                @"(?-i:IJ)",
                @"ingurgitacio (?:venosa )?jugular",
                @"reflux hepatojugular(?: positiu)?",
                @"(?-i:RHJ) ?\+",
            ],
            [ClinicalConcept.WeightGain] =
            [
                @"augment de (?:pes(?: de [\d.,]+ kg)?|[\d.,]+ kg(?: de pes)?)",
                @"guany (?:de pes|ponderal)",
                @"ha guanyat (?:[\d.,]+ kg|pes)",
                @"ha engreixat(?: [\d.,]+ kg)?",
                @"ha pujat (?:[\d.,]+ kg|de pes)",
            ],
            [ClinicalConcept.Nocturia] = [@"nicturia", @"s'aixeca(?: \w+){0,2} a orinar"],
            [ClinicalConcept.Fatigue] = [@"astenia", @"cansament", @"es troba mes cansad[ao]"],
            [ClinicalConcept.ThirdHeartSound] = [@"tercer soroll", @"galop"],
            [ClinicalConcept.NatriureticPeptide] = [@"peptids? natriuretics?"],
            [ClinicalConcept.Echocardiogram] = [@"fraccio d'ejeccio", @"ecografia cardiaca"],
            [ClinicalConcept.PleuralEffusion] = [@"vessaments? pleurals?"],
            [ClinicalConcept.AtrialFibrillation] = [@"fibril·?lacio auricular"],
        },
        Absent = new Dictionary<ClinicalConcept, string[]>
        {
            [ClinicalConcept.WeightGain] = [@"pes (?:estable|mantingut|sense canvis)"],
        },
        NotMentions = [@"index cardiac"],
        NegatedBefore =
        [
            @"no",
            @"ni",
            @"sense",
            @"nega",
            @"negava",
            @"no (?:presenta|refereix|te|hi ha)",
            @"no s'(?:observa|observen|objectiva|objectiven|evidencia|evidencien|ausculta|ausculten)",
            @"(?:es )?descarta",
            @"absencia de",
            @"negatiu per a",
            @"lliure de",
            @"cap",
            @"tampoc",
            @"mai",
        ],
        NegatedAfter = [@"descartad[ae]s?", @"descartats?", @"negati(?:u|va|us|ves)", @"absents?", @"poc probable"],
        HedgedBefore =
        [
            @"probable(?:ment)?",
            @"possible(?:ment)?",
            @"sospita(?: de| d')?",
            @"compatible amb",
            @"suggestiu de",
            @"(?:a |per )?descartar",
            @"no es (?:pot )?descarta(?:r)?",
            @"dubtos[ao]",
            @"sembla",
            @"presumpte",
        ],
        HedgedAfter = [@"a descartar", @"(?:a|en) estudi", @"dubtos[ao]", @"a valorar", @"per confirmar"],
        HypotheticalBefore =
        [
            @"risc d(?:e|')",
            @"en cas d(?:e|')",
            @"si (?:presenta|apareix|apareixen|nota|puja|empitjora|augmenta)",
            @"prevencio de",
            @"signes d'alarma",
        ],
        HistoricalBefore =
        [
            @"antecedents?(?: personals)?(?: de| d'|:)",
            @"fa (?:\d+|un|dos|tres|quatre|cinc|uns|diversos) (?:anys?|mesos|mes)",
            @"previament",
            @"en el passat",
            @"episodis? previs? d(?:e|')",
        ],
        HistoricalAfter =
        [
            @"previ(?:a|s|es)?",
            @"antic(?:a|s)?|antigues",
            @"fa (?:\d+|un|dos|tres|quatre|cinc|uns|diversos) (?:anys?|mesos|mes)",
            @"resol(?:t|ta|ts|tes)",
        ],
        FamilyBefore =
        [
            @"antecedents familiars(?: de| d'|:)?",
            @"(?:pare|mare|germa|germana|germans|germanes|fill|filla|fills|filles|avi|avia|avis|oncle|tia)(?: amb|:)?",
        ],
        FamilyAfter = [@"en (?:el seu |la seva |el |la )?(?:pare|mare|germa|germana|fill|filla|avi|avia)"],
        Pseudo =
        [
            @"no nomes",
            @"sense canvis",
            @"sense millora",
            @"des de fa(?: (?:\d+|un|dos|tres|quatre|cinc|uns|diversos) \w+)?",
            @"(?:control|visita|pes) (?:previ|previa|anterior)",
            @"(?:ve|acudeix|viu|acompanyad[ao]) (?:amb|de|per) (?:el seu |la seva |la |el )?"
                + @"(?:pare|mare|germa|germana|fill|filla|marit|dona|familia\w*)",
        ],
        Terminators =
        [
            @"pero",
            @"tot i que",
            @"encara que",
            @"excepte",
            @"llevat de",
            @"refereix",
            @"amb",
            @"s'observa",
            @"s'observen",
            @"destaca",
            @"actualment",
            @"ara",
            @"descompensaci\w+ (?:de |d')",
            @"ingressos? per",
        ],
    };
}
