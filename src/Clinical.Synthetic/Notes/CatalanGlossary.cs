using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic.Notes;

/// <summary>
/// Catalan primary-care note glossary (català): MPOC for COPD, MRC for CKD, EEII for lower limbs, AR for lung
/// auscultation.
/// </summary>
internal static class CatalanGlossary
{
    public static readonly NoteVocabulary Vocabulary = new()
    {
        Language = NoteLanguage.Catalan,
        ReasonChronic =
        [
            "Control de crònics.",
            "Revisió.",
            "Ve a control.",
            "Control de patologia crònica.",
            "Seguiment.",
        ],
        ReasonBloodPressure = ["Control TA.", "Control HTA.", "Ve per control de TA.", "Presa de TA."],
        ReasonDiabetes = ["Control DM2.", "Revisió diabetis.", "Control DM2 i peus."],
        ReasonLabs =
        [
            "Revisió analítica.",
            "Ve a veure resultats de l'analítica.",
            "Comentem analítica.",
            "Resultats d'AS.",
        ],
        ReasonSymptoms =
        [
            "Consulta per {0}.",
            "Acudeix per {0} de {1} d'evolució.",
            "Refereix {0} des de fa {1}.",
            "Motiu: {0}.",
            "Ve per {0} des de fa {1}.",
        ],
        ReasonExacerbation =
        [
            "Consulta per augment de dispnea i tos amb expectoració.",
            "Augment de la dispnea habitual i esput purulent.",
            "Empitjorament respiratori des de fa uns dies.",
        ],
        ReasonHfDiagnosis =
        [
            "Ve amb el resultat de l'ecocardiograma.",
            "Revisió després de l'ecocardiograma.",
            "Porta informe de cardiologia.",
        ],
        ReasonHfFollowUp =
        [
            "Control IC.",
            "Seguiment ICC.",
            "Revisió de la IC.",
            "Seguiment d'insuficiència cardíaca.",
        ],
        ReasonPrescription = ["Renovació de recepta.", "Ve per receptes.", "Renovar pla de medicació."],
        ReasonAcute = new Dictionary<AcuteProblem, string[]>
        {
            [AcuteProblem.LowBackPain] = ["Lumbàlgia de {0}.", "Dolor lumbar mecànic des de fa {0}."],
            [AcuteProblem.UrinaryInfection] = ["Disúria i pol·laciúria de {0}.", "Clínica miccional.", "Probable ITU."],
            [AcuteProblem.UpperRespiratoryInfection] =
            [
                "Odinofàgia i rinorrea de {0}.",
                "Quadre catarral.",
                "Tos seca i mocs de {0}, afebril.",
            ],
            [AcuteProblem.Anxiety] = ["Ansietat per problemes familiars.", "Nerviosisme i insomni de {0}."],
            [AcuteProblem.KneePain] = ["Gonàlgia dreta.", "Dolor al genoll esquerre de {0}."],
            [AcuteProblem.Dermatitis] = ["Lesions pruriginoses als braços.", "Èczema a les mans."],
            [AcuteProblem.Insomnia] = ["Insomni de conciliació.", "Dorm malament des de fa {0}."],
            [AcuteProblem.Gastroenteritis] = ["Diarrea de {0} sense productes patològics.", "Quadre de GEA."],
            [AcuteProblem.FluVaccine] = ["Vacunació antigripal.", "Ve per la vacuna de la grip."],
        },
        DurationDays = ["{0} dies", "{0} d"],
        DurationWeeks = ["{0} setmanes", "unes {0} setmanes"],
        DurationMonths = ["{0} mesos", "uns {0} mesos"],
        SymptomNoun = new Dictionary<Sign, string[]>
        {
            [Sign.ExertionalDyspnoea] = ["dispnea", "dispnea d'esforç", "ofec en caminar", "fatiga en caminar"],
            [Sign.Orthopnoea] = ["ortopnea", "ofec en estirar-se"],
            [Sign.NocturnalDyspnoea] = ["dispnea nocturna", "ofec a la nit"],
            [Sign.AnkleOedema] = ["edemes a les cames", "turmells inflats", "edemes mal·leolars"],
            [Sign.Nocturia] = ["nictúria", "s'aixeca a orinar a la nit"],
            [Sign.Fatigue] = ["cansament", "astènia"],
            [Sign.WeightGain] = ["augment de pes"],
            [Sign.Cough] = ["tos"],
            [Sign.Wheeze] = ["xiulets", "sibilàncies"],
            [Sign.Palpitations] = ["palpitacions"],
        },
        SignPresent = new Dictionary<Sign, string[]>
        {
            [Sign.ExertionalDyspnoea] =
            [
                "dispnea d'esforç",
                "dispnea a mitjans esforços",
                "dispnea en pujar un pis",
                "dispnea d'esforç progressiva",
                "dispnea grau II NYHA",
                "es cansa en pujar escales",
            ],
            [Sign.Orthopnoea] =
            [
                "ortopnea",
                "ortopnea de 2 coixins",
                "dorm incorporat",
                "necessita 3 coixins per dormir",
            ],
            [Sign.NocturnalDyspnoea] = ["DPN", "episodis de DPN", "es desperta a la nit amb ofec"],
            [Sign.AnkleOedema] =
            [
                "edemes a EEII",
                "edemes mal·leolars",
                "edemes bimal·leolars",
                "turmells inflats a la tarda",
            ],
            [Sign.Nocturia] = ["nictúria", "nictúria de 2-3 vegades", "s'aixeca 3 cops a orinar"],
            [Sign.Fatigue] = ["astènia", "cansament", "cansament fàcil", "es troba més cansada"],
            [Sign.WeightGain] = ["augment de pes", "ha guanyat pes les últimes setmanes"],
            [Sign.Cough] = ["tos", "tos seca", "tos amb expectoració"],
            [Sign.Wheeze] = ["xiulets", "sibilàncies"],
            [Sign.Palpitations] = ["palpitacions", "sensació de palpitacions"],
        },
        SignDenied = new Dictionary<Sign, string[]>
        {
            [Sign.ExertionalDyspnoea] = ["nega dispnea", "no dispnea", "sense dispnea", "no refereix dispnea d'esforç"],
            [Sign.Orthopnoea] = ["nega ortopnea", "no ortopnea", "sense ortopnea"],
            [Sign.NocturnalDyspnoea] = ["no DPN", "nega DPN", "sense DPN"],
            [Sign.AnkleOedema] = ["sense edemes", "no edemes", "nega edemes", "no edemes a EEII"],
            [Sign.Palpitations] = ["no palpitacions", "nega palpitacions"],
            [Sign.Nocturia] = ["no nictúria"],
            [Sign.Fatigue] = ["no astènia"],
            [Sign.WeightGain] = ["pes estable"],
            [Sign.Cough] = ["no tos"],
            [Sign.Wheeze] = ["no xiulets"],
        },
        Reports = ["Refereix", "Explica", "Comenta", "Presenta"],
        WeightGained =
        [
            "Ha guanyat {0} kg des de l'última visita.",
            "+{0} kg respecte al control previ.",
            "Augment de pes de {0} kg.",
        ],
        WellBeing = ["Asimptomàtic.", "Es troba bé.", "BEG.", "Sense queixes.", "Bon estat general."],
        HistoryLabel = ["AP:", "Antecedents:", "Pacient amb", "AP de"],
        ComorbidityTerms = new Dictionary<ConditionCategory, string[]>
        {
            [ConditionCategory.Hypertension] = ["HTA", "HTA", "hipertensió"],
            [ConditionCategory.Diabetes] = ["DM2", "DM tipus 2"],
            [ConditionCategory.AtrialFibrillation] = ["FA", "FA permanent", "FA anticoagulada"],
            [ConditionCategory.Obesity] = ["obesitat", "obesitat grau I"],
            [ConditionCategory.ChronicKidneyDisease] = ["MRC", "MRC estadi 3", "insuficiència renal crònica"],
            [ConditionCategory.Copd] = ["MPOC", "MPOC moderada", "MPOC exfumador"],
            [ConditionCategory.IschaemicHeartDisease] = ["cardiopatia isquèmica", "CI", "IAM antic"],
        },
        AnaemiaTerms = ["anèmia", "anèmia ferropènica"],
        VenousTerms = ["IVC", "insuficiència venosa", "varices"],
        KnownHfTerms = ["IC", "ICC", "IC amb FEVE {0}%", "insuficiència cardíaca"],
        ExamLabel = ["EF:", "Exploració:", "Expl:"],
        HeartRegular = ["AC: rítmica, sense bufs", "AC: tons rítmics, no bufs", "AC rítmica sense bufs"],
        HeartIrregular = ["AC: arítmica", "AC: arítmica, sense bufs", "AC: tons arítmics"],
        LungsClear = ["AR: MVC", "AR: MVC sense sorolls sobreafegits", "AR: normal", "AR: bona ventilació"],
        LungsCrackles = ["AR: crepitants bibasals", "AR: crepitants a les bases", "AR: crepitants fins a base dreta"],
        LungsWheeze = ["AR: sibilants dispersos", "AR: roncus i sibilants"],
        OedemaPitting = ["edemes amb fòvea a EEII", "edemes mal·leolars amb fòvea", "EEII: edemes amb fòvea ++"],
        OedemaNonPitting = ["edemes mal·leolars sense fòvea", "lleus edemes als turmells"],
        NoOedema = ["EEII sense edemes", "no edemes", "sense edemes a EEII"],
        JugularDistension = ["IJ", "ingurgitació jugular", "RHJ +"],
        BloodPressureLabel = ["TA", "PA"],
        WeightLabel = ["Pes", "Pes:"],
        BmiLabel = ["IMC"],
        LabsLabel = ["Analítica:", "AS:", "Resultats:"],
        EgfrLabel = ["FG", "FGe"],
        EchoResult = ["Ecocardiograma: FEVE {0}%.", "Eco: FEVE {0}%.", "Ecocardio amb FEVI {0}%."],
        Impressions = new Dictionary<Impression, string[]>
        {
            [Impression.SuspectedHf] =
            [
                "Probable IC.",
                "Sospita d'IC, a descartar.",
                "Descartar ICC.",
                "No es pot descartar IC.",
                "Possible insuficiència cardíaca.",
            ],
            [Impression.AmlodipineOedema] =
            [
                "Edemes probablement secundaris a amlodipina.",
                "Edemes mal·leolars en probable relació amb l'amlodipina.",
            ],
            [Impression.CopdExacerbation] =
            [
                "Reagudització MPOC.",
                "Probable agudització de la MPOC.",
                "Dispnea en context de la seva MPOC.",
            ],
            [Impression.VenousInsufficiency] =
            [
                "Edemes per insuficiència venosa.",
                "IVC.",
                "Edemes probablement d'origen venós.",
            ],
            [Impression.ObesityDyspnoea] =
            [
                "Dispnea probablement en relació amb obesitat i sedentarisme.",
                "Dispnea per obesitat i mala forma física.",
            ],
            [Impression.AnaemiaWorkup] = ["Anèmia a estudi.", "Astènia, probable anèmia."],
            [Impression.HfDiagnosed] =
            [
                "IC amb {1} (FEVE {0}%).",
                "Es confirma IC, FEVE {0}%.",
                "Diagnòstic d'insuficiència cardíaca amb {1}.",
            ],
            [Impression.KnownHfStable] = ["IC estable.", "ICC compensada.", "IC sense signes de descompensació."],
            [Impression.KnownHfWorse] = ["ICC descompensada.", "Descompensació d'IC.", "IC amb signes de congestió."],
            [Impression.AfControl] = ["FA amb bon control de FC.", "FA anticoagulada, estable."],
            [Impression.CkdFollowUp] = ["MRC estable.", "Seguiment MRC.", "Funció renal estable."],
            [Impression.HfRuledOut] =
            [
                "Es descarta IC.",
                "NT-proBNP normal, IC poc probable.",
                "Eco sense alteracions rellevants, es descarta IC.",
            ],
            [Impression.StableChronic] = ["Estable.", "Bon control.", "Sense canvis.", "Bon control de FRCV."],
        },
        RaisedPeptideWithAf = ["{0} elevat, probablement en relació amb la FA.", "{0} alt en context de FA."],
        RaisedPeptideWithCkd = ["{0} elevat en context de MRC.", "{0} alt, probablement per la MRC."],
        PhenotypeTerms = new Dictionary<HfPhenotype, string[]>
        {
            [HfPhenotype.HFrEF] = ["FEVE reduïda", "FEr"],
            [HfPhenotype.HFmrEF] = ["FEVE lleugerament reduïda", "FElr"],
            [HfPhenotype.HFpEF] = ["FEVE preservada", "FEp", "FEVE conservada"],
        },
        Plans = new Dictionary<PlanItem, string[]>
        {
            [PlanItem.RequestNtProBnp] =
            [
                "Es demana NT-proBNP.",
                "Demano NT-proBNP.",
                "Sol·licito analítica amb NT-proBNP.",
            ],
            [PlanItem.RequestEcho] = ["Es demana ecocardiograma.", "Demano ecocardio.", "Pendent d'ecocardiograma."],
            [PlanItem.ReferCardiology] = ["Derivo a cardiologia.", "IC a cardiologia.", "Interconsulta a cardio."],
            [PlanItem.StartLoopDiuretic] =
            [
                "Inicio furosemida 40 mg/24 h.",
                "Es pauta furosemida.",
                "Inicio diürètic.",
            ],
            [PlanItem.AdjustDiuretic] = ["Augmento furosemida a 40 mg/12 h.", "Ajusto diürètic."],
            [PlanItem.LowSaltDiet] = ["Dieta hiposòdica.", "S'insisteix en dieta sense sal."],
            [PlanItem.DailyWeights] = ["Control de pes diari.", "Pesar-se cada dia."],
            [PlanItem.CompressionStockings] = ["Mitges de compressió.", "Mesures posturals i mitges."],
            [PlanItem.ReviewAmlodipine] = ["Valorar canviar amlodipina.", "Es redueix amlodipina a 5 mg."],
            [PlanItem.Bronchodilator] = ["Pauta de broncodilatadors i corticoide oral.", "Augmento broncodilatador."],
            [PlanItem.IronStudies] = ["Demano perfil fèrric.", "Sol·licito ferritina i IST."],
            [PlanItem.FollowUp] = ["Control en {0} setmanes.", "Revisió en {0} setm.", "Visita en {0} setmanes."],
        },
        FollowUpWeeks = ["Control en {0} setmanes.", "Revisió en {0} setm."],
        NurseAdherence = ["Bon compliment terapèutic.", "Refereix bona adherència.", "Pren bé la medicació."],
        NurseAdvice =
        [
            "Es reforcen mesures higienicodietètiques.",
            "Educació sanitària: dieta i exercici.",
            "S'insisteix a caminar cada dia.",
        ],
        NurseRefers = ["Es comenta amb la metgessa.", "Es comenta amb MF.", "Es programa visita amb el metge."],
        NurseNextVisit = ["Propera visita en {0} mesos.", "Control en {0} mesos."],
        SubjectiveLabel = ["S:", "Subjectiu:", "MC:"],
        ObjectiveLabel = ["O:", "EF:", "Objectiu:"],
        AssessmentLabel = ["A:", "JC:", "Valoració:"],
        PlanLabel = ["P:", "Pla:"],
        And = "i",
    };
}
