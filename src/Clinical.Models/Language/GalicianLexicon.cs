namespace Clinical.Models.Language;

/// <summary>
/// Galician as primary-care notes write it (dispnea de esforzo, nocelos inchados, ingurxitación xugular, gañou peso;
/// "non", "sen", "nega"; "sospeita de"; "hai 2 anos" for the past). Triggers as in <see cref="SpanishLexicon"/>,
/// translated. Galician "se" (if) is left out: Castilian reads it as a pronoun ("se presenta").
/// </summary>
internal static class GalicianLexicon
{
    public static readonly LanguageLexicon Lexicon = new()
    {
        Language = "gl",
        Concepts = new Dictionary<ClinicalConcept, string[]>
        {
            [ClinicalConcept.HeartFailure] = [@"insuficiencia cardiaca(?: conxestiva)?", @"fallo cardiaco"],
            [ClinicalConcept.ExertionalDyspnoea] =
            [
                @"dispnea(?: de esforzo| a (?:\w+ )?esforzos| ao subir(?: \w+){0,2})?",
                @"afogo(?: ao (?:caminar|subir|andar))?",
                @"cansase ao subir escaleiras",
            ],
            [ClinicalConcept.Orthopnoea] =
            [
                @"ortopnea\w*(?: de \d+ almofadas)?",
                @"dorme incorporad[oa]",
                @"\d+ almofadas",
            ],
            [ClinicalConcept.ParoxysmalNocturnalDyspnoea] =
            [
                @"dispnea paroxistica nocturna",
                @"dispnea nocturna",
                @"afogo pola noite",
                @"esperta (?:pola noite )?con afogo",
            ],
            [ClinicalConcept.Oedema] = [@"nocelos inchados", @"pernas inchadas"],
            [ClinicalConcept.RaisedJugularPressure] =
            [
                @"ingu\w+ (?:venosa )?xugular",
                @"inchazon xugular",
                @"refluxo hepatoxugular(?: positivo)?",
            ],
            [ClinicalConcept.WeightGain] =
            [
                @"ganou (?:[\d.,]+ kg|peso)",
                @"engordou(?: [\d.,]+ kg)?",
                @"subiu (?:[\d.,]+ kg|de peso)",
                @"suba de peso",
            ],
            [ClinicalConcept.Nocturia] = [@"erguese (?:\w+ ){0,2}a ourinar"],
            [ClinicalConcept.Fatigue] = [@"cansazo", @"canseira"],
            [ClinicalConcept.ThirdHeartSound] = [@"terceiro ruido"],
            [ClinicalConcept.PleuralEffusion] = [@"derramos? pleura(?:l|is)"],
        },
        NotMentions = [@"indice cardiaco"],
        NegatedBefore =
        [
            @"non",
            @"nin",
            @"sen",
            @"nega",
            @"negaba",
            @"non (?:presenta|refire|ten|hai)",
            @"non se (?:observa|observan|obxectiva|obxectivan|evidencia|ausculta|ausculta)n?",
            @"descartase",
            @"ausencia de",
            @"libre de",
            @"ningun(?:ha)?",
            @"tampouco",
        ],
        NegatedAfter = [@"pouco probable", @"descartase"],
        HedgedBefore =
        [
            @"probable(?:mente)?",
            @"posible(?:mente)?",
            @"sospeita(?: de)?",
            @"compatible con",
            @"non se (?:pode )?descarta(?:r)?",
            @"dubidos[oa]",
        ],
        HedgedAfter = [@"a descartar", @"(?:a|en) estudo", @"dubidos[oa]"],
        HypotheticalBefore = [@"risco de", @"no caso de", @"sinais de alarma", @"vixiar"],
        HistoricalBefore =
        [
            @"antecedentes?(?: persoais)?(?: de|:)",
            @"hai (?:\d+|un|unha|dous|duas|tres|catro|cinco|varios|uns) (?:anos?|meses|mes)",
            @"no pasado",
        ],
        HistoricalAfter =
        [
            @"antig[oa]s?",
            @"hai (?:\d+|un|unha|dous|duas|tres|catro|cinco|varios|uns) (?:anos?|meses|mes)",
            @"resolt[oa]s?",
        ],
        FamilyBefore =
        [
            @"antecedentes familiares(?: de|:)?",
            @"(?:pai|nai|irman|irma|irmans|irmas|fill[oa]s?|avo|avoa|avos)(?: con| ten|:)?",
        ],
        FamilyAfter = [@"(?:no seu |na sua |no |na )(?:pai|nai|irman|irma|fill[oa]|avo|avoa)"],
        Pseudo =
        [
            @"non so",
            @"sen cambios",
            @"sen melloria",
            @"(?:dende|desde) hai(?: (?:\d+|un|unha|dous|duas|tres|uns|varios) \w+)?",
            @"(?:acode|ven|vive|acompanad[oa]) (?:con|de|por) (?:o seu |a sua |a |o )?"
                + @"(?:pai|nai|irman|irma|fill[oa]|esposo|esposa|home|muller|familia\w*)",
        ],
        Terminators =
        [
            @"mais",
            @"ainda que",
            @"agas",
            @"refire",
            @"ten",
            @"observase",
            @"agora",
            @"descompensaci\w+ (?:de|por)(?: a sua)?",
            @"ingresos? por",
        ],
    };
}
