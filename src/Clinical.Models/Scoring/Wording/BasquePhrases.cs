using System.Globalization;
using Clinical.Models.Language;
using Clinical.Models.Scoring.Evidence;

namespace Clinical.Models.Scoring.Wording;

/// <summary>
/// Basque (eu-ES): bihotz-gutxiegitasuna (BG), EBEF (ezkerreko bentrikuluaren ejekzio-frakzioa), GMI, GGK. Dates are
/// written year first (2026/06/30) and the percent sign goes before the number (% 86). Numbers are never declined
/// here: thresholds and dates stand after a colon or in parentheses, so no case ending is attached to a digit.
/// </summary>
public sealed class BasquePhrases : Phrases
{
    public override string Language => "eu";

    public override CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("eu-ES");

    public override string DateFormat => "yyyy/MM/dd";

    public override string Percent(string number) => $"% {number}";

    public override string And => "eta";

    public override string HeartFailure => "bihotz-gutxiegitasuna";

    public override string Lvef => "EBEF";

    public override string Level(RiskCategory category) =>
        category switch
        {
            RiskCategory.Negligible => "arbuiagarria",
            RiskCategory.Low => "txikia",
            RiskCategory.Moderate => "ertaina",
            RiskCategory.High => "handia",
            _ => "bihotz-gutxiegitasuna diagnostikatuta dago jada",
        };

    public override string Risk(RiskCategory category) =>
        category == RiskCategory.Certain
            ? "Bihotz-gutxiegitasuna diagnostikatuta dago jada"
            : $"Arrisku {Level(category)}";

    public override string Sign(ClinicalConcept concept) =>
        concept switch
        {
            ClinicalConcept.HeartFailure => "bihotz-gutxiegitasuna",
            ClinicalConcept.ExertionalDyspnoea => "esfortzuzko disnea",
            ClinicalConcept.Orthopnoea => "ortopnea",
            ClinicalConcept.ParoxysmalNocturnalDyspnoea => "gaueko disnea paroxistikoa",
            ClinicalConcept.Oedema => "edemak",
            ClinicalConcept.Crackles => "krepitanteak",
            ClinicalConcept.RaisedJugularPressure => "zain jugularren ingurgitazioa",
            ClinicalConcept.WeightGain => "pisu-igoera",
            ClinicalConcept.Nocturia => "nikturia",
            ClinicalConcept.Fatigue => "astenia",
            ClinicalConcept.ThirdHeartSound => "hirugarren bihotz-soinua",
            ClinicalConcept.NatriureticPeptide => "peptido natriuretikoak",
            ClinicalConcept.Echocardiogram => "ekokardiograma/EBEF",
            ClinicalConcept.Cardiomegaly => "kardiomegalia",
            ClinicalConcept.PleuralEffusion => "isuri pleurala",
            ClinicalConcept.AtrialFibrillation => "fibrilazio aurikularra",
            _ => throw new ArgumentOutOfRangeException(nameof(concept), concept, null),
        };

    public override string SignState(Assertion assertion) =>
        assertion switch
        {
            Assertion.Affirmed => "badago",
            Assertion.Negated => "ukatua",
            Assertion.Hedged => "zalantzazkoa",
            Assertion.Hypothetical => "hipotetikoa",
            Assertion.Historical => "aurrekaria",
            _ => "senide batena",
        };

    public override string EjectionFractionBand(EjectionFractionCategory category) =>
        category switch
        {
            EjectionFractionCategory.Reduced => "murriztua (≤ % 40)",
            EjectionFractionCategory.MildlyReduced => "apur bat murriztua (% 41–49)",
            _ => "kontserbatua (≥ % 50)",
        };

    public override string AgainstThreshold(bool above, string threshold) =>
        $"{(above ? "atalasetik gora" : "atalasetik behera")} ({threshold})";

    public override string Trend(TrendDirection direction, string previous) =>
        direction switch
        {
            TrendDirection.Rising => $"gorantz (aurrekoa: {previous})",
            TrendDirection.Falling => $"beherantz (aurrekoa: {previous})",
            _ => $"egonkor (aurrekoa: {previous})",
        };

    public override string MaximumRecorded => "erregistratutako balio handiena";

    public override string RepeatPeptide(int? years) =>
        years is { } y ? $"{Ago(y)}: errepikatu" : "datarik gabe: errepikatu";

    public override string RepeatEchocardiogram(int years) => $"{Ago(years)}: errepikatu ekokardiograma";

    public override string OldEvidence(string label, string repeat) => $"{label}, {repeat}";

    public override string NoteSign(string dateSuffix, string quote, string sign, string assertion) =>
        $"Oharra{dateSuffix}: «{quote}» ({sign}, {assertion})";

    public override string Drug(string drug, DrugReason reason) =>
        reason switch
        {
            DrugReason.SacubitrilValsartan => $"{drug}: sakubitril/balsartan, bihotz-gutxiegitasunean soilik adierazia",
            DrugReason.LoopDiureticWithoutOtherIndication =>
                $"{drug}: kiribil-diuretikoa, beste indikaziorik erregistratu gabe",
            DrugReason.LoopDiureticWithKidneyDisease =>
                $"{drug}: kiribil-diuretikoa (GGK dago: beste indikazio posible bat)",
            _ => $"{drug}: mineralokortikoideen antagonista",
        };

    public override string NoteClassifier(string percent, string dateSuffix) =>
        $"Oharren sailkatzailea: probabilitatea {percent}; ohar erabakigarria{dateSuffix}";

    public override string KnownDiagnosis(string description) =>
        $"Bihotz-gutxiegitasunaren diagnostikoa: {description}";

    public override string NoRecentPeptide => "NT-proBNP berririk ez";

    public override string NoEchocardiogram => "ekokardiogramarik ez";

    public override string H2FpefItem(H2FpefComponent component, string? value) =>
        component switch
        {
            H2FpefComponent.Bmi => $"GMI {value} > 30",
            H2FpefComponent.Obesity => "obesitatea",
            H2FpefComponent.Antihypertensives => $"{value} antihipertentsibo",
            H2FpefComponent.AtrialFibrillation => "FA",
            _ => $"adina {value} > 60",
        };

    public override string H2FpefMissingInput(H2FpefInput input) =>
        input switch
        {
            H2FpefInput.Age => "adina",
            H2FpefInput.Bmi => "GMI",
            H2FpefInput.PulmonaryArterySystolicPressure => "PAPS (ekokardiograma)",
            _ => "E/e' (ekokardiograma)",
        };

    public override string H2Fpef(string score, string present, string missing) =>
        $"H2FPEF ≥ {score} ({present}; falta dira: {missing})";

    public override string AffirmedSigns(string signs, int notes) =>
        $"{signs}: {(notes == 1 ? "ohar batean" : $"{notes} oharretan")}";

    public override string Missing(MissingData missing) =>
        missing switch
        {
            MissingData.RecentPeptide =>
                $"NT-proBNP berria (azkenak {PeptideEvidence.FreshYears} urte baino gehiago ditu)",
            MissingData.Peptide => "NT-proBNP (historian bat ere ez): eskatu susmo klinikoa badago",
            MissingData.Echocardiogram => "ekokardiograma (EBEF erregistraturik ez)",
            _ => "ohar klinikoak (bat ere ez da irakurgarria)",
        };

    public override string MissingHeading => "Falta dena";

    public override string NotesClassifierSentence(string percent) => $"Oharren sailkatzailea: {percent}.";

    public override string Floor(string criteria, bool decided) =>
        $"ESC 2021 gidaren irizpidea, bihotz-gutxiegitasunaren diagnostikorik gabe: {criteria}; "
        + "arriskua gutxienez ertaina da"
        + (decided ? " (irizpide honek finkatu du maila)." : ".");

    public override string LowConfidence => "Konfiantza txikia";

    public override string NotReassuring =>
        "datuak falta dira bihotz-gutxiegitasuna baztertzeko; ez da emaitza lasaigarria";

    public override string KnownHeartFailure(string description, string? since) =>
        $"Bihotz-gutxiegitasuna diagnostikatuta dago jada: {description}"
        + $"{(since is null ? "" : $" (noiztik: {since})")}. Ez da berri gisa markatzen.";

    public override string EvidenceHeading => "Ebidentzia";

    public override string AndMore(int count) => $"… eta beste {count}.";

    public override string Characters(int start, int end) => $"{start}–{end} karaktereak";

    public override string PossibleUndiagnosedHeartFailure => "Diagnostikatu gabeko bihotz-gutxiegitasun posiblea";

    public override string RiskAssessmentTitle => "Bihotz-gutxiegitasun arriskuaren ebaluazioa";

    public override string CardSource(string model) => $"BG baheketa: {model}";

    public override string OpenDashboard => "Ireki BG baheketaren panela";

    public override string ConsiderEchocardiography =>
        "Diagnostikatu gabeko bihotz-gutxiegitasun posiblea: baloratu ekokardiografia";

    public override string ConsiderNtProBnp => "Diagnostikatu gabeko bihotz-gutxiegitasun posiblea: baloratu NT-proBNP";

    public override string RequestEchocardiography => "Eskatu ekokardiografia";

    public override string RequestEchocardiographyDetail =>
        "Ekokardiografia transtorazikoa, bihotz-gutxiegitasuna berresteko edo baztertzeko (ESC 2021).";

    public override string RequestNtProBnp => "Eskatu NT-proBNP";

    public override string RequestNtProBnpDetail(string loinc) => $"NT-proBNP serumean edo plasman (LOINC {loinc}).";

    public override string RequestEchocardiographyForLvef => "Ekokardiografia, EBEF neurtzeko.";

    public override string KnownWithoutLvefSummary =>
        "BG diagnostikatua, EBEF erregistratu gabe: kontuan hartu ekokardiografia fenotipatzeko";

    public override string KnownWithoutLvefDetail =>
        "**Bihotz-gutxiegitasuna diagnostikatuta dago jada**, ejekzio-frakziorik (EBEF) erregistratu gabe. "
        + "EBEFak bihotz-gutxiegitasuna sailkatzen du (murriztua ≤ % 40, apur bat murriztua % 41–49, "
        + "kontserbatua ≥ % 50) eta tratamendua bideratzen du.";

    public override string EstimatedRisk(string level, string percent, string date) =>
        $"Arrisku estimatua: **{level}** ({percent}); data: {date}.";

    public override string KnownHeartFailureAsOf(string date) =>
        $"**Bihotz-gutxiegitasuna diagnostikatuta dago jada**; data: {date}.";

    public override string Disclaimer(string model) =>
        $"_Erabaki klinikorako laguntza ({model}); ez da diagnostikoa, ezta osasun-produktu ziurtatua ere._";

    public override string OverrideReason(string code) =>
        code switch
        {
            "already-evaluated" => "Dagoeneko baloratua edo aztertzen",
            "alternative-explanation" => "Beste kausa batek azaltzen ditu aurkikuntzak",
            "patient-declined" => "Pazienteak ez du nahi",
            _ => "Ez dagokio (egoera klinikoa, zainketa aringarriak)",
        };

    private static string Ago(int years) => years == 1 ? "duela urtebete" : $"duela {years} urte";
}
