namespace Clinical.Models.Language;

/// <summary>
/// Castilian Spanish as primary-care notes and case reports write it. Triggers follow NegEx (Chapman et al., J Biomed
/// Inform 2001;34:301) and its Spanish adaptations (the multilingual NegEx lexicon, Conway et al., MedInfo 2013;
/// Spa-neg, Solarte-Pabón et al., IWBBIO 2020); uncertainty cues follow NUBes (Lima et al., LREC 2020), where
/// "descartar" (to rule out) marks uncertainty and "se descarta" (is ruled out) negation.
/// </summary>
internal static class SpanishLexicon
{
    public static readonly LanguageLexicon Lexicon = new()
    {
        Language = "es",
        Concepts = new Dictionary<ClinicalConcept, string[]>
        {
            [ClinicalConcept.HeartFailure] =
            [
                @"insuficiencias? cardiacas?(?: congestivas?)?",
                @"insuficiencia ventricular(?: (?:izquierda|derecha))?",
                @"fallo cardiaco",
                @"falla cardiaca",
                @"fallo ventricular (?:izquierdo|derecho)",
                @"descompensacion cardiaca",
                @"(?-i:IC[CADI]?(?:[- ]?FE(?:VI)?(?:r|p|lr|mr|c|i))?)",
            ],
            [ClinicalConcept.ExertionalDyspnoea] =
            [
                @"disnea(?: de (?:(?:moderados|medianos|minimos|grandes|pequenos) )?esfuerzos?"
                    + @"| a (?:\w+ )?esfuerzos?| al (?:subir|caminar|andar)(?: \w+){0,2})?",
                @"fatiga al (?:caminar|andar|subir(?: \w+){0,2})",
                @"se fatiga al subir escaleras",
                @"ahogo(?: al (?:andar|caminar|subir))?",
                @"(?:sensacion de )?falta de aire",
            ],
            [ClinicalConcept.Orthopnoea] =
            [
                @"ortopnea\w*(?: de \d+ almohadas)?",
                @"duerme incorporad[oa]",
                @"(?:necesita dormir con )?(?:varias|\d+) almohadas",
                @"disnea (?:al acostarse|de decubito)",
            ],
            [ClinicalConcept.ParoxysmalNocturnalDyspnoea] =
            [
                @"(?-i:DPN)",
                @"disnea paroxistica nocturna",
                @"disnea nocturna",
                @"ahogo nocturno",
                @"se despierta (?:por la noche )?con (?:sensacion de )?ahogo",
            ],
            [ClinicalConcept.Oedema] =
            [
                @"edem\w*",
                @"hinchazon de (?:tobillos|piernas|pies|(?-i:MMII|EEII))",
                @"(?:piernas|tobillos|pies) hinchad[oa]s",
            ],
            [ClinicalConcept.Crackles] = [@"crepitant\w*", @"estertores(?: crepitantes)?"],
            [ClinicalConcept.RaisedJugularPressure] =
            [
                @"(?-i:IY|IVY|PVY elevada)",
                @"ingurgitacion (?:venosa )?yugular",
                @"ingurgitacion de (?:la )?vena yugular",
                @"presion venosa yugular (?:elevada|aumentada)",
                @"reflujo hepatoyugular(?: positivo)?",
                @"(?-i:RHY) ?\+",
            ],
            [ClinicalConcept.WeightGain] =
            [
                @"aumento de (?:[\d.,]+ kg(?: de peso)?|peso)(?: de [\d.,]+ kg)?",
                @"(?:ganancia|incremento) (?:de (?:[\d.,]+ kg(?: de peso)?|peso)|ponderal)",
                @"ha ganado (?:[\d.,]+ kg|peso)",
                @"ha engordado(?: [\d.,]+ kg)?",
                @"ha subido (?:[\d.,]+ kg|de peso)",
                @"sube de peso",
                @"\+ ?[\d.,]+ kg",
                @"peso [\d.,]+ kg por encima",
            ],
            [ClinicalConcept.Nocturia] =
            [
                @"nicturia",
                @"nocturia",
                @"levantarse a orinar por la noche",
                @"se levanta (?:(?:\d+|varias) veces )?a orinar",
            ],
            [ClinicalConcept.Fatigue] = [@"astenia", @"cansancio", @"se nota mas cansad[oa]", @"fatigabilidad"],
            [ClinicalConcept.ThirdHeartSound] = [@"tercer ruido", @"(?-i:3R|3er ruido)", @"(?:ritmo de )?galope"],
            [ClinicalConcept.NatriureticPeptide] = [@"(?-i:NT-?pro-?BNP|NTproBNP|BNP)", @"peptidos? natriuretic\w*"],
            [ClinicalConcept.Echocardiogram] =
            [
                @"ecocardiogra\w*",
                @"ecocardio",
                @"ecografia cardiaca",
                @"(?-i:FEVI|FEVE|FE VI|ETT)",
                @"fraccion de eyeccion",
            ],
            [ClinicalConcept.Cardiomegaly] = [@"cardiomegali\w*"],
            [ClinicalConcept.PleuralEffusion] = [@"derrames? pleural(?:es)?"],
            [ClinicalConcept.AtrialFibrillation] =
            [
                @"fibrilacion auricular",
                @"(?-i:FA|FANV|ACxFA)",
                @"arritmia completa",
            ],
        },
        Absent = new Dictionary<ClinicalConcept, string[]>
        {
            [ClinicalConcept.WeightGain] = [@"peso (?:estable|mantenido|sin cambios)"],
        },
        NotMentions =
        [
            @"indice(?: cardiaco)? \((?-i:IC)\)",
            @"indice cardiaco",
            @"\(?(?-i:IC)\)? ?(?:[:=]|de|del)? ?[\d.,]+ ?l ?/ ?min(?: ?/ ?m ?[2²])?",
            @"(?-i:IC) ?(?:al |del )?9[059] ?%",
            @"flutter(?: auricular)?(?: \w+)? (?-i:IC)",
            @"(?-i:IC) (?:a|al|con|de) (?:cardio\w*|\w+log\w*|servicio\w*|urgencias|enfermer\w*)",
            @"edemas? (?:macular|cerebral|de papila|palpebral|facial|de glotis|labial|oseo|corneal)",
        ],
        NegatedBefore =
        [
            @"no",
            @"ni",
            @"sin",
            @"nieg[ao]",
            @"negaba",
            @"no (?:presenta|presentaba|refiere|referia|tiene|hay|existe|existen|aqueja|muestra)",
            @"no se (?:observa|objetiva|objetivaro|evidencia|aprecia|ausculta|palpa|detecta)n?",
            @"(?:se )?descart(?:a|an|o|aron|andose)",
            @"se ha descartado",
            @"ausencia de",
            @"negativ[oa] para",
            @"libre de",
            @"exento de",
            @"ningun[oa]?",
            @"tampoco",
            @"nunca",
            @"desaparicion de",
            @"resolucion de",
        ],
        NegatedAfter =
        [
            @"(?:fue |ha sido |queda )?descartad[oa]s?",
            @"(?:se )?descarto",
            @"negativ[oa]s?",
            @"ausentes?",
            @"no confirmad[oa]",
            @"(?:improbable|poco probable)",
            @": ?(?:no|negativ[oa])(?= *(?:[.;,)]|$))",
            @"\(-\)",
        ],
        HedgedBefore =
        [
            @"probable(?:mente)?",
            @"posible(?:mente)?",
            @"sospecha(?: de)?",
            @"sospechos[oa] de",
            @"compatible con",
            @"sugestiv[oa] de",
            @"sugerente de",
            @"(?:a |para |se debe |hay que )?descartar",
            @"no se (?:puede )?descarta(?:r)?",
            @"no (?:es posible |puede )?descartar(?:se)?",
            @"no descarta",
            @"dudos[oa]",
            @"impresiona de",
            @"parece",
            @"presunt[oa]",
            @"(?:a )?valorar",
            @"¿",
        ],
        HedgedAfter =
        [
            @"a descartar",
            @"(?:a|en) estudio",
            @"dudos[oa]",
            @"a valorar",
            @"por confirmar",
            @"pendiente de confirmar",
            @"\?",
        ],
        HypotheticalBefore =
        [
            @"riesgo de",
            @"en caso de",
            @"si (?:presenta|aparece|aparecen|nota|sube|empeora|aumenta|tiene|hay)",
            @"prevenir",
            @"prevencion de",
            @"evitar",
            @"desarrollar",
            @"signos de alarma",
            @"vigilar(?: la aparicion de)?",
        ],
        HistoricalBefore =
        [
            @"antecedentes?(?: personales)?(?: de|:)",
            @"historia(?: previa)? de",
            @"(?-i:AP) de",
            @"hace (?:\d+|un|una|dos|tres|cuatro|cinco|varios|unos) (?:anos?|meses|mes)",
            @"en (?:el (?:ano )?)?(?:19|20)\d\d",
            @"previamente",
            @"en el pasado",
            @"episodios? previos? de",
            @"ingresos? previos? por",
        ],
        HistoricalAfter =
        [
            @"previ[oa]s?",
            @"antigu[oa]s?",
            @"hace (?:\d+|un|una|dos|tres|cuatro|cinco|varios|unos) (?:anos?|meses|mes)",
            @"en (?:el (?:ano )?)?(?:19|20)\d\d",
            @"resuelt[oa]s?",
        ],
        FamilyBefore =
        [
            @"antecedentes familiares(?: de|:)?",
            @"(?-i:AF)(?: de|:)",
            @"historia familiar de",
            @"familiares? de primer grado",
            @"(?:padre|madre|herman[oa]s?|hij[oa]s?|abuel[oa]s?|ti[oa]s?|prim[oa]s?)(?: con|:)?",
        ],
        FamilyAfter = [@"en (?:su |la |el )?(?:padre|madre|herman[oa]|hij[oa]|abuel[oa])", @"(?:materna|paterna)"],
        Pseudo =
        [
            @"no solo",
            @"no obstante",
            @"sin embargo",
            @"sin cambios",
            @"sin mejoria",
            @"sin (?:tratamiento|medicacion)",
            @"no mejora\w*",
            @"(?:desde|de) hace(?: (?:\d+|un|una|dos|tres|cuatro|cinco|varios|unos) \w+)?",
            @"(?:control|visita|consulta|analitica|peso|medicion) (?:previ[oa]|anterior)",
            @"(?:acude|viene|vive|acompanad[oa]) (?:con|de|por) (?:su |la |el )?"
                + @"(?:padre|madre|herman[oa]|hij[oa]|espos[oa]|marido|mujer|niet[oa]|familia\w*)",
            @"(?:padre|madre|abuel[oa]) de (?:\d+|un|una|dos|tres|cuatro|cinco) hij\w*",
            @"ama de casa",
            @"probable descompensacion de su",
        ],
        Terminators =
        [
            @"pero",
            @"aunque",
            @"si bien",
            @"salvo",
            @"excepto",
            @"mientras que",
            @"refiere",
            @"referia",
            @"presenta",
            @"presentaba",
            @"con",
            @"tiene",
            @"muestra",
            @"se (?:observa|observan|objetiva|objetivan|aprecia|aprecian|ausculta|auscultan)",
            @"destaca",
            @"actualmente",
            @"en la actualidad",
            @"ahora",
            // What a negation before these denies is the event, not the HF it happens to: "sin descompensación de
            // su IC", "sin nuevos ingresos por IC" speak of a patient with HF.
            @"descompensaci\w+ (?:de|por)(?: su)?",
            @"(?:re)?ingresos? (?:hospitalarios? )?por",
            @"hospitalizaci\w+ por",
        ],
    };
}
