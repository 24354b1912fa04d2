using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic.Notes;

/// <summary>Spanish primary-care note glossary (castellano).</summary>
internal static class SpanishGlossary
{
    public static readonly NoteVocabulary Vocabulary = new()
    {
        Language = NoteLanguage.Spanish,
        ReasonChronic =
        [
            "Control de crónicos.",
            "Revisión.",
            "Acude a control.",
            "Control de patología crónica.",
            "Revisión periódica.",
            "Seguimiento.",
        ],
        ReasonBloodPressure =
        [
            "Control TA.",
            "Control HTA.",
            "Acude para control de TA.",
            "Toma de TA.",
            "Control de tensión.",
        ],
        ReasonDiabetes = ["Control DM2.", "Revisión diabetes.", "Control DM.", "Revisión de DM2 y pies."],
        ReasonLabs =
        [
            "Revisión analítica.",
            "Viene a ver resultados de analítica.",
            "Resultados de AS.",
            "Comentamos analítica.",
            "Revisión de resultados.",
        ],
        ReasonSymptoms =
        [
            "Acude por {0}.",
            "Consulta por {0} de {1} de evolución.",
            "Refiere {0} desde hace {1}.",
            "Motivo: {0}.",
            "Consulta por {0}.",
            "Acude por {0} desde hace {1}.",
        ],
        ReasonExacerbation =
        [
            "Acude por aumento de disnea y tos con expectoración.",
            "Aumento de su disnea habitual, tos y esputo purulento.",
            "Consulta por empeoramiento respiratorio.",
            "Refiere más tos y fatiga desde hace unos días.",
        ],
        ReasonHfDiagnosis =
        [
            "Acude con resultado de ecocardiograma.",
            "Revisión tras ecocardiograma.",
            "Viene con informe de cardiología.",
            "Resultados de eco y analítica.",
        ],
        ReasonHfFollowUp =
        [
            "Control IC.",
            "Seguimiento ICC.",
            "Revisión de IC.",
            "Control de su IC.",
            "Seguimiento de insuficiencia cardiaca.",
        ],
        ReasonPrescription =
        [
            "Renovación de receta.",
            "Acude para receta.",
            "Renovar tratamiento crónico.",
            "Revisión de medicación.",
        ],
        ReasonAcute = new Dictionary<AcuteProblem, string[]>
        {
            [AcuteProblem.LowBackPain] =
            [
                "Lumbalgia de {0}.",
                "Dolor lumbar mecánico desde hace {0}.",
                "Lumbalgia sin irradiación.",
            ],
            [AcuteProblem.UrinaryInfection] = ["Disuria y polaquiuria de {0}.", "Clínica miccional.", "Probable ITU."],
            [AcuteProblem.UpperRespiratoryInfection] =
            [
                "Odinofagia y rinorrea de {0}.",
                "Cuadro catarral.",
                "Tos seca y mucosidad de {0}, afebril.",
            ],
            [AcuteProblem.Anxiety] =
            [
                "Ansiedad por problemas familiares.",
                "Refiere nerviosismo e insomnio de {0}.",
                "Clínica ansiosa.",
            ],
            [AcuteProblem.KneePain] =
            [
                "Gonalgia derecha.",
                "Dolor en rodilla izquierda de {0}.",
                "Gonartrosis, dolor mecánico.",
            ],
            [AcuteProblem.Dermatitis] =
            [
                "Lesiones pruriginosas en brazos.",
                "Eccema en manos.",
                "Consulta por lesión cutánea.",
            ],
            [AcuteProblem.Insomnia] = ["Insomnio de conciliación.", "Duerme mal desde hace {0}."],
            [AcuteProblem.Gastroenteritis] =
            [
                "Diarrea sin productos patológicos de {0}.",
                "Cuadro de GEA.",
                "Vómitos y deposiciones líquidas desde hace {0}.",
            ],
            [AcuteProblem.FluVaccine] =
            [
                "Vacunación antigripal.",
                "Acude para vacuna de la gripe.",
                "Administro vacuna gripe.",
            ],
        },
        DurationDays = ["{0} días", "{0} d"],
        DurationWeeks = ["{0} semanas", "{0} sem", "unas {0} semanas"],
        DurationMonths = ["{0} meses", "unos {0} meses"],
        SymptomNoun = new Dictionary<Sign, string[]>
        {
            [Sign.ExertionalDyspnoea] = ["disnea", "disnea de esfuerzo", "fatiga al caminar", "ahogo al andar"],
            [Sign.Orthopnoea] = ["ortopnea", "disnea al acostarse"],
            [Sign.NocturnalDyspnoea] = ["disnea nocturna", "episodios de ahogo nocturno"],
            [Sign.AnkleOedema] =
            [
                "edemas en piernas",
                "hinchazón de tobillos",
                "edemas maleolares",
                "piernas hinchadas",
            ],
            [Sign.Nocturia] = ["nicturia", "levantarse a orinar por la noche"],
            [Sign.Fatigue] = ["cansancio", "astenia", "cansancio generalizado"],
            [Sign.WeightGain] = ["aumento de peso", "ganancia de peso"],
            [Sign.Cough] = ["tos", "tos persistente"],
            [Sign.Wheeze] = ["pitos", "sibilancias"],
            [Sign.Palpitations] = ["palpitaciones"],
        },
        SignPresent = new Dictionary<Sign, string[]>
        {
            [Sign.ExertionalDyspnoea] =
            [
                "disnea de esfuerzo",
                "disnea a moderados esfuerzos",
                "disnea a medianos esfuerzos",
                "disnea al subir un piso",
                "disnea de esfuerzo progresiva",
                "disnea grado II NYHA",
                "disnea al caminar en llano",
                "se fatiga al subir escaleras",
            ],
            [Sign.Orthopnoea] =
            [
                "ortopnea",
                "ortopnea de 2 almohadas",
                "ortopnea de 3 almohadas",
                "duerme incorporado",
                "necesita dormir con varias almohadas",
            ],
            [Sign.NocturnalDyspnoea] =
            [
                "DPN",
                "episodios de DPN",
                "se despierta por la noche con ahogo",
                "algún episodio de disnea paroxística nocturna",
            ],
            [Sign.AnkleOedema] =
            [
                "edemas en MMII",
                "edemas maleolares",
                "edemas en EEII",
                "hinchazón de tobillos por la tarde",
                "edemas bimaleolares",
            ],
            [Sign.Nocturia] = ["nicturia", "nicturia de 2-3 veces", "se levanta a orinar 3 veces por la noche"],
            [Sign.Fatigue] = ["astenia", "cansancio", "astenia de semanas", "cansancio fácil", "se nota más cansada"],
            [Sign.WeightGain] = ["aumento de peso", "ha ganado peso en las últimas semanas", "ganancia ponderal"],
            [Sign.Cough] = ["tos", "tos seca", "tos con expectoración", "tos nocturna"],
            [Sign.Wheeze] = ["pitos", "sibilancias", "autoescucha de sibilantes"],
            [Sign.Palpitations] = ["palpitaciones", "sensación de palpitaciones", "palpitaciones ocasionales"],
        },
        SignDenied = new Dictionary<Sign, string[]>
        {
            [Sign.ExertionalDyspnoea] =
            [
                "niega disnea",
                "no disnea",
                "sin disnea",
                "no refiere disnea de esfuerzo",
                "no disnea de esfuerzo",
            ],
            [Sign.Orthopnoea] = ["niega ortopnea", "no ortopnea", "sin ortopnea", "no refiere ortopnea"],
            [Sign.NocturnalDyspnoea] = ["no DPN", "niega DPN", "sin DPN", "no episodios de DPN"],
            [Sign.AnkleOedema] =
            [
                "sin edemas",
                "no edemas",
                "niega edemas",
                "no edemas en MMII",
                "no refiere hinchazón de piernas",
            ],
            [Sign.Palpitations] = ["no palpitaciones", "niega palpitaciones", "sin palpitaciones"],
            [Sign.Nocturia] = ["no nicturia"],
            [Sign.Fatigue] = ["no astenia"],
            [Sign.WeightGain] = ["peso estable"],
            [Sign.Cough] = ["no tos"],
            [Sign.Wheeze] = ["no sibilancias"],
        },
        Reports = ["Refiere", "Comenta", "Explica", "Presenta", "Cuenta"],
        WeightGained =
        [
            "Ha ganado {0} kg desde la última visita.",
            "+{0} kg respecto al control previo.",
            "Aumento de {0} kg de peso.",
            "Peso {0} kg por encima del habitual.",
        ],
        WellBeing =
        [
            "Asintomático.",
            "Se encuentra bien.",
            "BEG.",
            "Refiere encontrarse bien.",
            "Sin quejas.",
            "Buen estado general.",
            "Sin novedades.",
        ],
        HistoryLabel = ["AP:", "Antecedentes:", "AP de", "Pac. con", "Paciente con"],
        ComorbidityTerms = new Dictionary<ConditionCategory, string[]>
        {
            [ConditionCategory.Hypertension] = ["HTA", "HTA", "hipertensión"],
            [ConditionCategory.Diabetes] = ["DM2", "DM tipo 2", "DM2 en tto con ADO"],
            [ConditionCategory.AtrialFibrillation] = ["FA", "FA permanente", "FA anticoagulada", "FA paroxística"],
            [ConditionCategory.Obesity] = ["obesidad", "obesidad grado I", "obesidad"],
            [ConditionCategory.ChronicKidneyDisease] =
            [
                "ERC",
                "ERC estadio 3",
                "ERC 3a",
                "insuficiencia renal crónica",
            ],
            [ConditionCategory.Copd] = ["EPOC", "EPOC moderado", "EPOC exfumador"],
            [ConditionCategory.IschaemicHeartDisease] =
            [
                "cardiopatía isquémica",
                "CI",
                "IAM antiguo",
                "cardiopatía isquémica estable",
            ],
        },
        AnaemiaTerms = ["anemia", "anemia ferropénica"],
        VenousTerms = ["IVC", "insuficiencia venosa", "varices"],
        KnownHfTerms = ["IC", "ICC", "IC con FEVI {0}%", "insuficiencia cardiaca", "ICC (FEVI {0}%)"],
        ExamLabel = ["EF:", "Exploración:", "Expl:", "A la exploración:"],
        HeartRegular =
        [
            "AC: rítmica, sin soplos",
            "AC: tonos rítmicos, no soplos",
            "AC: RsCsRs",
            "AC rítmica sin soplos",
        ],
        HeartIrregular = ["AC: arrítmica", "AC: arrítmica, sin soplos", "AC: tonos arrítmicos", "AC arrítmica"],
        LungsClear =
        [
            "AP: MVC",
            "AP: MVC sin ruidos sobreañadidos",
            "AP: normal",
            "AP: buena ventilación",
            "AP: MVC, no crepitantes",
        ],
        LungsCrackles =
        [
            "AP: crepitantes bibasales",
            "AP: crepitantes en bases",
            "AP: crepitantes finos en base derecha",
            "AP: hipoventilación y crepitantes bibasales",
        ],
        LungsWheeze = ["AP: sibilantes dispersos", "AP: roncus y sibilantes", "AP: espiración alargada con sibilantes"],
        OedemaPitting =
        [
            "edemas con fóvea en MMII",
            "edemas maleolares con fóvea",
            "edemas con fóvea hasta rodillas",
            "MMII: edemas con fóvea ++",
        ],
        OedemaNonPitting = ["edemas maleolares sin fóvea", "leves edemas en tobillos", "MMII: edemas leves"],
        NoOedema = ["MMII sin edemas", "no edemas", "sin edemas en MMII", "MMII: no edemas"],
        JugularDistension = ["IY", "ingurgitación yugular", "IY a 45º", "RHY +"],
        BloodPressureLabel = ["TA", "TA", "PA"],
        WeightLabel = ["Peso", "P", "Peso:"],
        BmiLabel = ["IMC"],
        LabsLabel = ["Analítica:", "AS:", "Analítica reciente:", "Resultados:"],
        EgfrLabel = ["FG", "FGe", "FG (CKD-EPI)"],
        EchoResult =
        [
            "Ecocardiograma: FEVI {0}%.",
            "Eco: FEVI {0}%.",
            "Ecocardio con FEVI {0}%.",
            "Informe de eco: FEVI {0}%.",
        ],
        Impressions = new Dictionary<Impression, string[]>
        {
            [Impression.SuspectedHf] =
            [
                "Probable IC.",
                "Sospecha de IC, a descartar.",
                "Descartar ICC.",
                "No se puede descartar IC.",
                "Posible insuficiencia cardiaca.",
                "IC a descartar.",
            ],
            [Impression.AmlodipineOedema] =
            [
                "Edemas probablemente secundarios a amlodipino.",
                "Edemas maleolares en probable relación con amlodipino.",
                "Edemas por calcioantagonista.",
            ],
            [Impression.CopdExacerbation] =
            [
                "Reagudización EPOC.",
                "Probable agudización de EPOC.",
                "Disnea en contexto de su EPOC.",
                "Agudización leve de EPOC.",
            ],
            [Impression.VenousInsufficiency] =
            [
                "Edemas por insuficiencia venosa.",
                "IVC.",
                "Edemas probablemente de origen venoso.",
            ],
            [Impression.ObesityDyspnoea] =
            [
                "Disnea probablemente en relación con obesidad y sedentarismo.",
                "Disnea por obesidad y mala forma física.",
                "Probable disnea por sobrepeso.",
            ],
            [Impression.AnaemiaWorkup] =
            [
                "Anemia a estudio.",
                "Astenia, probable anemia.",
                "Anemia, valorar ferropenia.",
            ],
            [Impression.HfDiagnosed] =
            [
                "IC con {1} (FEVI {0}%).",
                "Se confirma IC, FEVI {0}%.",
                "Diagnóstico de insuficiencia cardiaca con {1}.",
                "ICC con FEVI {0}%.",
            ],
            [Impression.KnownHfStable] =
            [
                "IC estable.",
                "ICC compensada.",
                "IC sin signos de descompensación.",
                "IC en clase funcional II, estable.",
            ],
            [Impression.KnownHfWorse] =
            [
                "ICC descompensada.",
                "Descompensación de IC.",
                "IC con signos de congestión.",
                "Probable descompensación de su IC.",
            ],
            [Impression.AfControl] =
            [
                "FA con buen control de FC.",
                "FA anticoagulada, estable.",
                "FA permanente, buen control.",
            ],
            [Impression.CkdFollowUp] = ["ERC estable.", "Seguimiento ERC.", "Función renal estable."],
            [Impression.HfRuledOut] =
            [
                "Se descarta IC.",
                "NT-proBNP normal, IC poco probable.",
                "Eco sin alteraciones relevantes, se descarta IC.",
                "IC descartada.",
            ],
            [Impression.StableChronic] = ["Estable.", "Buen control.", "Sin cambios.", "Buen control de FRCV."],
        },
        RaisedPeptideWithAf =
        [
            "{0} elevado, probablemente en relación con FA.",
            "{0} alto en contexto de FA.",
            "{0} elevado, atribuible a FA.",
        ],
        RaisedPeptideWithCkd =
        [
            "{0} elevado en contexto de ERC.",
            "{0} alto, probablemente por ERC.",
            "{0} elevado, valorar función renal.",
        ],
        PhenotypeTerms = new Dictionary<HfPhenotype, string[]>
        {
            [HfPhenotype.HFrEF] = ["FEVI reducida", "FEr", "FEVI deprimida"],
            [HfPhenotype.HFmrEF] = ["FEVI ligeramente reducida", "FEVI levemente reducida", "FElr"],
            [HfPhenotype.HFpEF] = ["FEVI preservada", "FEp", "FEVI conservada"],
        },
        Plans = new Dictionary<PlanItem, string[]>
        {
            [PlanItem.RequestNtProBnp] =
            [
                "Se solicita NT-proBNP.",
                "Pido NT-proBNP.",
                "Solicito analítica con NT-proBNP.",
                "AS con NT-proBNP.",
            ],
            [PlanItem.RequestEcho] =
            [
                "Se solicita ecocardiograma.",
                "Pido ecocardio.",
                "Solicito eco.",
                "Pendiente de ecocardiograma.",
            ],
            [PlanItem.ReferCardiology] =
            [
                "Derivo a cardiología.",
                "IC a cardiología.",
                "Interconsulta a cardio.",
                "Remito a cardiología.",
            ],
            [PlanItem.StartLoopDiuretic] =
            [
                "Inicio furosemida 40 mg/24 h.",
                "Se pauta furosemida.",
                "Inicio diurético.",
                "Furosemida 40 mg 1-0-0.",
            ],
            [PlanItem.AdjustDiuretic] =
            [
                "Aumento furosemida a 40 mg/12 h.",
                "Ajusto diurético.",
                "Doblo dosis de furosemida 3 días.",
            ],
            [PlanItem.LowSaltDiet] = ["Dieta hiposódica.", "Se insiste en dieta sin sal.", "Restricción de sal."],
            [PlanItem.DailyWeights] =
            [
                "Control de peso diario.",
                "Pesarse a diario.",
                "Peso diario y consultar si sube más de 2 kg.",
            ],
            [PlanItem.CompressionStockings] =
            [
                "Medias de compresión.",
                "Medidas posturales y medias.",
                "Elevar piernas.",
            ],
            [PlanItem.ReviewAmlodipine] =
            [
                "Valorar cambiar amlodipino.",
                "Se reduce amlodipino a 5 mg.",
                "Cambio amlodipino por otro antihipertensivo.",
            ],
            [PlanItem.Bronchodilator] =
            [
                "Pauta de broncodilatadores y corticoide oral.",
                "Aumento broncodilatador.",
                "Salbutamol a demanda y pauta corta de prednisona.",
            ],
            [PlanItem.IronStudies] =
            [
                "Solicito perfil férrico.",
                "Pido ferritina e IST.",
                "AS con hemograma y perfil férrico.",
            ],
            [PlanItem.FollowUp] =
            [
                "Control en {0} semanas.",
                "Revisión en {0} sem.",
                "Cita en {0} semanas.",
                "Vuelve en {0} semanas.",
            ],
        },
        FollowUpWeeks = ["Control en {0} semanas.", "Revisión en {0} sem.", "Cita en {0} semanas."],
        NurseAdherence =
        [
            "Buen cumplimiento terapéutico.",
            "Refiere buena adherencia.",
            "Toma bien la medicación.",
            "Cumplimiento correcto.",
        ],
        NurseAdvice =
        [
            "Se refuerzan medidas higiénico-dietéticas.",
            "Educación sanitaria: dieta y ejercicio.",
            "Se insiste en caminar a diario.",
            "Consejo dietético.",
        ],
        NurseRefers =
        [
            "Se comenta con MAP.",
            "Se cita con su médico.",
            "Comento con médico de familia.",
            "Cita con MAP.",
        ],
        NurseNextVisit = ["Próximo control en {0} meses.", "Cita en {0} meses.", "Control en {0} meses."],
        SubjectiveLabel = ["S:", "Subjetivo:", "MC:"],
        ObjectiveLabel = ["O:", "EF:", "Objetivo:"],
        AssessmentLabel = ["A:", "JC:", "Valoración:", "Impresión:"],
        PlanLabel = ["P:", "Plan:", "Pl:"],
        And = "y",
    };
}
