using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic.Notes;

/// <summary>
/// Basque primary-care note glossary (euskara). Clinicians keep the Spanish abbreviations
/// (HTA, DM2, FA, IC, FEVI, EEII, TA, FC) inside Basque sentences; BGBK is the Basque COPD acronym.
/// Negation takes the partitive: "ez du ortopnearik", "edemarik ez".
/// </summary>
internal static class BasqueGlossary
{
    public static readonly NoteVocabulary Vocabulary = new()
    {
        Language = NoteLanguage.Basque,
        ReasonChronic = ["Gaixotasun kronikoen kontrola.", "Berrikuspena.", "Kontrolera dator.", "Jarraipena."],
        ReasonBloodPressure = ["TA kontrola.", "HTA kontrola.", "TA neurtzera dator."],
        ReasonDiabetes = ["DM2 kontrola.", "Diabetesaren berrikuspena."],
        ReasonLabs =
        [
            "Analitikaren berrikuspena.",
            "Analitikaren emaitzak ikustera dator.",
            "Analitika komentatzen dugu.",
        ],
        ReasonSymptoms =
        [
            "{0} dela eta dator.",
            "Kontsulta: {0}, {1}.",
            "{0} aipatzen du duela {1}.",
            "Arrazoia: {0}.",
        ],
        ReasonExacerbation =
        [
            "Arnasestua eta eztul produktiboa handitu zaizkio.",
            "Ohiko arnasestua okertu zaio azken egunetan.",
            "Arnas egoera okertu zaio.",
        ],
        ReasonHfDiagnosis =
        [
            "Ekokardiogramaren emaitzarekin dator.",
            "Ekokardiogramaren ondorengo berrikuspena.",
            "Kardiologiako txostenarekin dator.",
        ],
        ReasonHfFollowUp = ["IC kontrola.", "ICC jarraipena.", "Bihotz-gutxiegitasunaren jarraipena."],
        ReasonPrescription = ["Errezeta berritzea.", "Errezetak eskatzera dator."],
        ReasonAcute = new Dictionary<AcuteProblem, string[]>
        {
            [AcuteProblem.LowBackPain] = ["Lunbalgia, {0}.", "Gerrialdeko min mekanikoa duela {0}."],
            [AcuteProblem.UrinaryInfection] = ["Disuria eta polakiuria, {0}.", "Gernu-sintomak."],
            [AcuteProblem.UpperRespiratoryInfection] = ["Eztarriko mina eta errinorrea, {0}.", "Katarroa."],
            [AcuteProblem.Anxiety] = ["Antsietatea arazo familiarrengatik.", "Urduritasuna eta insomnioa, {0}."],
            [AcuteProblem.KneePain] = ["Eskuineko belaunean mina.", "Ezkerreko belauneko mina, {0}."],
            [AcuteProblem.Dermatitis] = ["Besoetan azkura duten lesioak.", "Eskuetan ekzema."],
            [AcuteProblem.Insomnia] = ["Loak hartzeko zailtasuna.", "Gaizki lo egiten du duela {0}."],
            [AcuteProblem.Gastroenteritis] = ["Beherakoa, {0}.", "GEA."],
            [AcuteProblem.FluVaccine] = ["Gripearen aurkako txertoa.", "Gripearen txertoa jartzera dator."],
        },
        DurationDays = ["{0} egun"],
        DurationWeeks = ["{0} aste"],
        DurationMonths = ["{0} hilabete"],
        SymptomNoun = new Dictionary<Sign, string[]>
        {
            [Sign.ExertionalDyspnoea] = ["arnasestua", "ahaleginean arnasestua", "ibiltzean itotzea"],
            [Sign.Orthopnoea] = ["ortopnea"],
            [Sign.NocturnalDyspnoea] = ["gaueko arnasestua"],
            [Sign.AnkleOedema] = ["hanketako edemak", "orkatilak puztuta", "orkatiletako edemak"],
            [Sign.Nocturia] = ["niktoria"],
            [Sign.Fatigue] = ["nekea", "astenia"],
            [Sign.WeightGain] = ["pisu igoera"],
            [Sign.Cough] = ["eztula"],
            [Sign.Wheeze] = ["txistuak"],
            [Sign.Palpitations] = ["palpitazioak"],
        },
        SignPresent = new Dictionary<Sign, string[]>
        {
            [Sign.ExertionalDyspnoea] =
            [
                "arnasestuka ahaleginean",
                "ahaleginean arnasestua",
                "arnasestua ahalegin ertainetan",
                "eskailerak igotzean arnasestua",
                "arnasestua NYHA II",
            ],
            [Sign.Orthopnoea] = ["ortopnea", "2 burukorekin lo egiten du", "eserita lo egiten du"],
            [Sign.NocturnalDyspnoea] = ["DPN", "gauez itota esnatzen da", "DPN episodioak"],
            [Sign.AnkleOedema] =
            [
                "edemak EEIIetan",
                "orkatiletan edemak",
                "hanketan edemak",
                "arratsaldean orkatilak puztuta",
            ],
            [Sign.Nocturia] = ["niktoria", "gauean 3 aldiz altxatzen da gernua egitera"],
            [Sign.Fatigue] = ["nekea", "astenia", "erraz nekatzen da"],
            [Sign.WeightGain] = ["pisua igo zaio", "azken asteetan pisua hartu du"],
            [Sign.Cough] = ["eztula", "eztul lehorra", "eztul produktiboa"],
            [Sign.Wheeze] = ["txistuak"],
            [Sign.Palpitations] = ["palpitazioak"],
        },
        SignDenied = new Dictionary<Sign, string[]>
        {
            [Sign.ExertionalDyspnoea] = ["ez du arnasestuarik", "arnasesturik ez", "arnasestua ukatzen du"],
            [Sign.Orthopnoea] = ["ez du ortopnearik", "ortopnearik ez", "ortopnea ukatzen du"],
            [Sign.NocturnalDyspnoea] = ["ez du DPNrik", "DPNrik ez"],
            [Sign.AnkleOedema] = ["edemarik ez", "ez du edemarik", "ez dago edemarik", "EEIIetan edemarik ez"],
            [Sign.Palpitations] = ["ez du palpitaziorik", "palpitaziorik ez"],
            [Sign.Nocturia] = ["niktoriarik ez"],
            [Sign.Fatigue] = ["nekerik ez"],
            [Sign.WeightGain] = ["pisu egonkorra"],
            [Sign.Cough] = ["eztulik ez"],
            [Sign.Wheeze] = ["txisturik ez"],
        },
        Reports = ["Aipatzen du:", "Kontatzen du:", "Dio:"],
        WeightGained = ["{0} kg irabazi ditu azken bisitatik.", "+{0} kg aurreko kontrolarekiko."],
        WellBeing = ["Asintomatikoa.", "Ondo dago.", "Kexarik ez.", "Egoera orokor ona."],
        HistoryLabel = ["AP:", "Aurrekariak:", "Gaixoak"],
        ComorbidityTerms = new Dictionary<ConditionCategory, string[]>
        {
            [ConditionCategory.Hypertension] = ["HTA", "hipertentsioa"],
            [ConditionCategory.Diabetes] = ["DM2", "2 motako diabetesa"],
            [ConditionCategory.AtrialFibrillation] = ["FA", "FA iraunkorra", "FA antikoagulatua"],
            [ConditionCategory.Obesity] = ["obesitatea"],
            [ConditionCategory.ChronicKidneyDisease] = ["GGK", "ERC", "giltzurrun-gutxiegitasun kronikoa"],
            [ConditionCategory.Copd] = ["BGBK", "EPOC"],
            [ConditionCategory.IschaemicHeartDisease] = ["kardiopatia iskemikoa", "CI"],
        },
        AnaemiaTerms = ["anemia", "anemia ferropenikoa"],
        VenousTerms = ["IVC", "gutxiegitasun benosoa", "barizeak"],
        KnownHfTerms = ["IC", "ICC", "IC, FEVI %{0}", "bihotz-gutxiegitasuna"],
        ExamLabel = ["EF:", "Esplorazioa:"],
        HeartRegular = ["AK: erritmikoa, burrunbarik gabe", "AK: erritmikoa", "AC: erritmikoa"],
        HeartIrregular = ["AK: arritmikoa", "AC: arritmikoa"],
        LungsClear = ["AP: MVC", "AP: normala", "AP: aireztapen ona"],
        LungsCrackles = ["AP: krepitanteak bi oinarrietan", "AP: oinarrietan krepitanteak"],
        LungsWheeze = ["AP: txistu sakabanatuak", "AP: roncus eta txistuak"],
        OedemaPitting = ["EEIIetan edemak fobearekin", "orkatiletan edemak fobearekin"],
        OedemaNonPitting = ["orkatiletan edema arinak", "edemak fobearik gabe"],
        NoOedema = ["EEIIetan edemarik ez", "edemarik ez"],
        JugularDistension = ["IY", "zain jugularren ingurgitazioa"],
        BloodPressureLabel = ["TA", "TA:"],
        WeightLabel = ["Pisua", "Pisua:"],
        BmiLabel = ["GMI", "IMC"],
        LabsLabel = ["Analitika:", "Emaitzak:"],
        EgfrLabel = ["FG", "FGe"],
        EchoResult = ["Ekokardiograma: FEVI %{0}.", "Ekoa: FEVI %{0}."],
        Impressions = new Dictionary<Impression, string[]>
        {
            [Impression.SuspectedHf] =
            [
                "Litekeena IC.",
                "IC susmoa, baztertzeko.",
                "ICC baztertu behar da.",
                "Ziurrenik bihotz-gutxiegitasuna.",
            ],
            [Impression.AmlodipineOedema] =
            [
                "Edemak ziurrenik amlodipinoagatik.",
                "Orkatiletako edemak, litekeena amlodipinoaren ondorioz.",
            ],
            [Impression.CopdExacerbation] = ["BGBKren larriagotzea.", "Ziurrenik EPOC larriagotzea."],
            [Impression.VenousInsufficiency] = ["Edemak gutxiegitasun benosoagatik.", "IVC."],
            [Impression.ObesityDyspnoea] = ["Arnasestua ziurrenik obesitateari eta sedentarismoari lotuta."],
            [Impression.AnaemiaWorkup] = ["Anemia aztertzeko.", "Nekea, litekeena anemia."],
            [Impression.HfDiagnosed] = ["IC, {1} (FEVI %{0}).", "IC baieztatzen da, FEVI %{0}."],
            [Impression.KnownHfStable] = ["IC egonkorra.", "ICC konpentsatuta.", "IC, deskonpentsazio zeinurik gabe."],
            [Impression.KnownHfWorse] = ["ICC deskonpentsatuta.", "IC deskonpentsazioa."],
            [Impression.AfControl] = ["FA, FC ondo kontrolatuta.", "FA antikoagulatua, egonkor."],
            [Impression.CkdFollowUp] = ["GGK egonkorra.", "Giltzurrun-funtzioa egonkor."],
            [Impression.HfRuledOut] = ["IC baztertzen da.", "NT-proBNP normala, IC nekez."],
            [Impression.StableChronic] = ["Egonkor.", "Kontrol ona.", "Aldaketarik ez."],
        },
        RaisedPeptideWithAf = ["{0} altua, ziurrenik FAri lotuta.", "{0} igota FA testuinguruan."],
        RaisedPeptideWithCkd = ["{0} altua GGK testuinguruan.", "{0} igota, ziurrenik giltzurrunagatik."],
        PhenotypeTerms = new Dictionary<HfPhenotype, string[]>
        {
            [HfPhenotype.HFrEF] = ["FEVI murriztua", "FEr"],
            [HfPhenotype.HFmrEF] = ["FEVI apur bat murriztua"],
            [HfPhenotype.HFpEF] = ["FEVI kontserbatua", "FEp"],
        },
        Plans = new Dictionary<PlanItem, string[]>
        {
            [PlanItem.RequestNtProBnp] =
            [
                "NT-proBNP eskatzen da.",
                "NT-proBNP eskatu dut.",
                "Analitika NT-proBNPrekin.",
            ],
            [PlanItem.RequestEcho] = ["Ekokardiograma eskatzen da.", "Ekoa eskatu dut.", "Ekokardiogramaren zain."],
            [PlanItem.ReferCardiology] = ["Kardiologiara bideratzen da.", "IC kardiologiara."],
            [PlanItem.StartLoopDiuretic] = ["Furosemida 40 mg/24 h hasten da.", "Furosemida agintzen da."],
            [PlanItem.AdjustDiuretic] = ["Furosemida 40 mg/12 h-ra igotzen da.", "Diuretikoa doitzen da."],
            [PlanItem.LowSaltDiet] = ["Gatz gutxiko dieta.", "Gatzik gabeko dieta azpimarratzen da."],
            [PlanItem.DailyWeights] = ["Egunero pisatu.", "Eguneroko pisu kontrola."],
            [PlanItem.CompressionStockings] = ["Konpresio galtzerdiak.", "Hankak altxatu eta galtzerdiak."],
            [PlanItem.ReviewAmlodipine] = ["Amlodipinoa aldatzea baloratu.", "Amlodipinoa 5 mg-ra jaisten da."],
            [PlanItem.Bronchodilator] = ["Bronkodilatatzaileak eta ahotiko kortikoidea."],
            [PlanItem.IronStudies] = ["Burdin profila eskatzen da.", "Ferritina eta IST eskatu ditut."],
            [PlanItem.FollowUp] = ["Kontrola {0} aste barru.", "Berrikuspena {0} astetan."],
        },
        FollowUpWeeks = ["Kontrola {0} aste barru."],
        NurseAdherence = ["Tratamendua ondo betetzen du.", "Atxikimendu ona."],
        NurseAdvice = ["Neurri higieniko-dietetikoak indartzen dira.", "Osasun hezkuntza: dieta eta ariketa."],
        NurseRefers = ["Familia-medikuarekin komentatzen da.", "MAPekin hitzordua."],
        NurseNextVisit = ["Hurrengo kontrola {0} hilabete barru.", "Hitzordua {0} hilabetera."],
        SubjectiveLabel = ["S:", "Subjektiboa:"],
        ObjectiveLabel = ["O:", "EF:"],
        AssessmentLabel = ["A:", "Balorazioa:"],
        PlanLabel = ["P:", "Plana:"],
        And = "eta",
    };
}
