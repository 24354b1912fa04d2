using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic.Notes;

/// <summary>Galician primary-care note glossary (galego).</summary>
internal static class GalicianGlossary
{
    public static readonly NoteVocabulary Vocabulary = new()
    {
        Language = NoteLanguage.Galician,
        ReasonChronic = ["Control de crónicos.", "Revisión.", "Acode a control.", "Seguimento."],
        ReasonBloodPressure = ["Control TA.", "Control HTA.", "Acode para control de TA."],
        ReasonDiabetes = ["Control DM2.", "Revisión diabete."],
        ReasonLabs = ["Revisión analítica.", "Vén ver os resultados da analítica.", "Comentamos analítica."],
        ReasonSymptoms =
        [
            "Acode por {0}.",
            "Consulta por {0} de {1} de evolución.",
            "Refire {0} dende hai {1}.",
            "Motivo: {0}.",
        ],
        ReasonExacerbation =
        [
            "Acode por aumento de dispnea e tose con expectoración.",
            "Aumento da súa dispnea habitual.",
            "Empeoramento respiratorio dende hai uns días.",
        ],
        ReasonHfDiagnosis =
        [
            "Acode co resultado do ecocardiograma.",
            "Revisión tras ecocardiograma.",
            "Trae informe de cardioloxía.",
        ],
        ReasonHfFollowUp = ["Control IC.", "Seguimento ICC.", "Revisión da IC."],
        ReasonPrescription = ["Renovación de receita.", "Acode por receitas."],
        ReasonAcute = new Dictionary<AcuteProblem, string[]>
        {
            [AcuteProblem.LowBackPain] = ["Lumbalxia de {0}.", "Dor lumbar mecánica dende hai {0}."],
            [AcuteProblem.UrinaryInfection] = ["Disuria e polaquiuria de {0}.", "Clínica miccional."],
            [AcuteProblem.UpperRespiratoryInfection] = ["Odinofaxia e rinorrea de {0}.", "Cadro catarral."],
            [AcuteProblem.Anxiety] = ["Ansiedade por problemas familiares.", "Nerviosismo e insomnio de {0}."],
            [AcuteProblem.KneePain] = ["Gonalxia dereita.", "Dor no xeonllo esquerdo de {0}."],
            [AcuteProblem.Dermatitis] = ["Lesións prurixinosas nos brazos.", "Eccema nas mans."],
            [AcuteProblem.Insomnia] = ["Insomnio de conciliación.", "Dorme mal dende hai {0}."],
            [AcuteProblem.Gastroenteritis] = ["Diarrea de {0}.", "Cadro de GEA."],
            [AcuteProblem.FluVaccine] = ["Vacinación antigripal.", "Acode para a vacina da gripe."],
        },
        DurationDays = ["{0} días"],
        DurationWeeks = ["{0} semanas", "unhas {0} semanas"],
        DurationMonths = ["{0} meses", "uns {0} meses"],
        SymptomNoun = new Dictionary<Sign, string[]>
        {
            [Sign.ExertionalDyspnoea] = ["dispnea", "dispnea de esforzo", "afogo ao camiñar"],
            [Sign.Orthopnoea] = ["ortopnea"],
            [Sign.NocturnalDyspnoea] = ["dispnea nocturna", "afogo pola noite"],
            [Sign.AnkleOedema] = ["edemas nas pernas", "nocelos inchados", "edemas maleolares"],
            [Sign.Nocturia] = ["nicturia"],
            [Sign.Fatigue] = ["cansazo", "astenia"],
            [Sign.WeightGain] = ["aumento de peso"],
            [Sign.Cough] = ["tose"],
            [Sign.Wheeze] = ["asubíos", "sibilancias"],
            [Sign.Palpitations] = ["palpitacións"],
        },
        SignPresent = new Dictionary<Sign, string[]>
        {
            [Sign.ExertionalDyspnoea] =
            [
                "dispnea de esforzo",
                "dispnea a medianos esforzos",
                "dispnea ao subir un andar",
                "dispnea de esforzo progresiva",
                "cánsase ao subir escaleiras",
            ],
            [Sign.Orthopnoea] = ["ortopnea", "ortopnea de 2 almofadas", "dorme incorporado"],
            [Sign.NocturnalDyspnoea] = ["DPN", "episodios de DPN", "esperta pola noite con afogo"],
            [Sign.AnkleOedema] =
            [
                "edemas en EEII",
                "edemas en MMII",
                "edemas maleolares",
                "nocelos inchados pola tarde",
            ],
            [Sign.Nocturia] = ["nicturia", "érguese a ouriñar 3 veces pola noite"],
            [Sign.Fatigue] = ["astenia", "cansazo", "cansazo doado"],
            [Sign.WeightGain] = ["aumento de peso", "gañou peso nas últimas semanas"],
            [Sign.Cough] = ["tose", "tose seca", "tose con expectoración"],
            [Sign.Wheeze] = ["asubíos", "sibilancias"],
            [Sign.Palpitations] = ["palpitacións"],
        },
        SignDenied = new Dictionary<Sign, string[]>
        {
            [Sign.ExertionalDyspnoea] = ["nega dispnea", "non dispnea", "sen dispnea", "non refire dispnea de esforzo"],
            [Sign.Orthopnoea] = ["nega ortopnea", "non ortopnea", "sen ortopnea"],
            [Sign.NocturnalDyspnoea] = ["non DPN", "nega DPN", "sen DPN"],
            [Sign.AnkleOedema] = ["sen edemas", "non edemas", "nega edemas", "sen edemas en EEII"],
            [Sign.Palpitations] = ["non palpitacións", "nega palpitacións"],
            [Sign.Nocturia] = ["non nicturia"],
            [Sign.Fatigue] = ["non astenia"],
            [Sign.WeightGain] = ["peso estable"],
            [Sign.Cough] = ["non tose"],
            [Sign.Wheeze] = ["non asubíos"],
        },
        Reports = ["Refire", "Comenta", "Conta", "Presenta"],
        WeightGained = ["Gañou {0} kg dende a última visita.", "+{0} kg respecto ao control previo."],
        WellBeing = ["Asintomático.", "Atópase ben.", "BEX.", "Sen queixas.", "Bo estado xeral."],
        HistoryLabel = ["AP:", "Antecedentes:", "Paciente con"],
        ComorbidityTerms = new Dictionary<ConditionCategory, string[]>
        {
            [ConditionCategory.Hypertension] = ["HTA", "hipertensión"],
            [ConditionCategory.Diabetes] = ["DM2", "DM tipo 2"],
            [ConditionCategory.AtrialFibrillation] = ["FA", "FA permanente", "FA anticoagulada"],
            [ConditionCategory.Obesity] = ["obesidade"],
            [ConditionCategory.ChronicKidneyDisease] = ["ERC", "ERC estadio 3", "insuficiencia renal crónica"],
            [ConditionCategory.Copd] = ["EPOC", "EPOC moderada"],
            [ConditionCategory.IschaemicHeartDisease] = ["cardiopatía isquémica", "CI"],
        },
        AnaemiaTerms = ["anemia", "anemia ferropénica"],
        VenousTerms = ["IVC", "insuficiencia venosa", "varices"],
        KnownHfTerms = ["IC", "ICC", "IC con FEVE {0}%", "insuficiencia cardíaca"],
        ExamLabel = ["EF:", "Exploración:", "Expl:"],
        HeartRegular = ["AC: rítmica, sen sopros", "AC: tons rítmicos", "AC rítmica sen sopros"],
        HeartIrregular = ["AC: arrítmica", "AC: arrítmica, sen sopros"],
        LungsClear = ["AP: MVC", "AP: MVC sen ruídos engadidos", "AP: normal"],
        LungsCrackles = ["AP: crepitantes bibasais", "AP: crepitantes nas bases"],
        LungsWheeze = ["AP: sibilantes dispersos", "AP: roncus e sibilantes"],
        OedemaPitting = ["edemas con foveta en EEII", "edemas maleolares con foveta"],
        OedemaNonPitting = ["edemas maleolares sen foveta", "lixeiros edemas nos nocelos"],
        NoOedema = ["EEII sen edemas", "non edemas", "sen edemas en EEII"],
        JugularDistension = ["IY", "inchazón xugular", "inguritación xugular"],
        BloodPressureLabel = ["TA", "PA"],
        WeightLabel = ["Peso", "Peso:"],
        BmiLabel = ["IMC"],
        LabsLabel = ["Analítica:", "AS:", "Resultados:"],
        EgfrLabel = ["FG", "FGe"],
        EchoResult = ["Ecocardiograma: FEVE {0}%.", "Eco: FEVE {0}%.", "Ecocardio con FEVI {0}%."],
        Impressions = new Dictionary<Impression, string[]>
        {
            [Impression.SuspectedHf] =
            [
                "Probable IC.",
                "Sospeita de IC, a descartar.",
                "Descartar ICC.",
                "Non se pode descartar IC.",
            ],
            [Impression.AmlodipineOedema] =
            [
                "Edemas probablemente secundarios a amlodipino.",
                "Edemas en probable relación co amlodipino.",
            ],
            [Impression.CopdExacerbation] = ["Reagudización EPOC.", "Probable agudización da EPOC."],
            [Impression.VenousInsufficiency] = ["Edemas por insuficiencia venosa.", "IVC."],
            [Impression.ObesityDyspnoea] = ["Dispnea probablemente en relación con obesidade e sedentarismo."],
            [Impression.AnaemiaWorkup] = ["Anemia a estudo.", "Astenia, probable anemia."],
            [Impression.HfDiagnosed] = ["IC con {1} (FEVE {0}%).", "Confírmase IC, FEVE {0}%."],
            [Impression.KnownHfStable] = ["IC estable.", "ICC compensada.", "IC sen signos de descompensación."],
            [Impression.KnownHfWorse] = ["ICC descompensada.", "Descompensación de IC."],
            [Impression.AfControl] = ["FA con bo control de FC.", "FA anticoagulada, estable."],
            [Impression.CkdFollowUp] = ["ERC estable.", "Seguimento ERC."],
            [Impression.HfRuledOut] = ["Descártase IC.", "NT-proBNP normal, IC pouco probable."],
            [Impression.StableChronic] = ["Estable.", "Bo control.", "Sen cambios."],
        },
        RaisedPeptideWithAf = ["{0} elevado, probablemente en relación coa FA.", "{0} alto en contexto de FA."],
        RaisedPeptideWithCkd = ["{0} elevado en contexto de ERC.", "{0} alto, probablemente pola ERC."],
        PhenotypeTerms = new Dictionary<HfPhenotype, string[]>
        {
            [HfPhenotype.HFrEF] = ["FEVE reducida", "FEr"],
            [HfPhenotype.HFmrEF] = ["FEVE lixeiramente reducida"],
            [HfPhenotype.HFpEF] = ["FEVE preservada", "FEVE conservada"],
        },
        Plans = new Dictionary<PlanItem, string[]>
        {
            [PlanItem.RequestNtProBnp] =
            [
                "Solicítase NT-proBNP.",
                "Pido NT-proBNP.",
                "Solicito analítica con NT-proBNP.",
            ],
            [PlanItem.RequestEcho] = ["Solicítase ecocardiograma.", "Pido ecocardio.", "Pendente de ecocardiograma."],
            [PlanItem.ReferCardiology] = ["Derivo a cardioloxía.", "IC a cardioloxía."],
            [PlanItem.StartLoopDiuretic] = ["Inicio furosemida 40 mg/24 h.", "Páutase furosemida."],
            [PlanItem.AdjustDiuretic] = ["Aumento furosemida a 40 mg/12 h.", "Axusto diurético."],
            [PlanItem.LowSaltDiet] = ["Dieta hiposódica.", "Insístese en dieta sen sal."],
            [PlanItem.DailyWeights] = ["Control de peso diario.", "Pesarse a diario."],
            [PlanItem.CompressionStockings] = ["Medias de compresión.", "Medidas posturais e medias."],
            [PlanItem.ReviewAmlodipine] = ["Valorar cambiar amlodipino.", "Redúcese amlodipino a 5 mg."],
            [PlanItem.Bronchodilator] = ["Pauta de broncodilatadores e corticoide oral."],
            [PlanItem.IronStudies] = ["Pido perfil férrico.", "Solicito ferritina e IST."],
            [PlanItem.FollowUp] = ["Control en {0} semanas.", "Revisión en {0} sem."],
        },
        FollowUpWeeks = ["Control en {0} semanas.", "Revisión en {0} sem."],
        NurseAdherence = ["Bo cumprimento terapéutico.", "Refire boa adherencia."],
        NurseAdvice = ["Refórzanse medidas hixiénico-dietéticas.", "Educación sanitaria: dieta e exercicio."],
        NurseRefers = ["Coméntase co MAP.", "Cítase co seu médico."],
        NurseNextVisit = ["Próximo control en {0} meses.", "Cita en {0} meses."],
        SubjectiveLabel = ["S:", "Subxectivo:"],
        ObjectiveLabel = ["O:", "EF:"],
        AssessmentLabel = ["A:", "XC:", "Valoración:"],
        PlanLabel = ["P:", "Plan:"],
        And = "e",
    };
}
