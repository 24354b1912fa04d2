using System.Globalization;
using Clinical.Models.Language;
using Clinical.Models.Scoring.Evidence;

namespace Clinical.Models.Scoring.Wording;

/// <summary>Catalan (ca-ES): insuficiència cardíaca, FEVE, MRC (malaltia renal crònica).</summary>
public sealed class CatalanPhrases : Phrases
{
    public override string Language => "ca";

    public override CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("ca-ES");

    public override string And => "i";

    public override string HeartFailure => "insuficiència cardíaca";

    public override string Lvef => "FEVE";

    public override string Level(RiskCategory category) =>
        category switch
        {
            RiskCategory.Negligible => "negligible",
            RiskCategory.Low => "baix",
            RiskCategory.Moderate => "moderat",
            RiskCategory.High => "alt",
            _ => "insuficiència cardíaca ja diagnosticada",
        };

    public override string Risk(RiskCategory category) =>
        category == RiskCategory.Certain ? "Insuficiència cardíaca ja diagnosticada" : $"Risc {Level(category)}";

    public override string Sign(ClinicalConcept concept) =>
        concept switch
        {
            ClinicalConcept.HeartFailure => "insuficiència cardíaca",
            ClinicalConcept.ExertionalDyspnoea => "dispnea d'esforç",
            ClinicalConcept.Orthopnoea => "ortopnea",
            ClinicalConcept.ParoxysmalNocturnalDyspnoea => "dispnea paroxística nocturna",
            ClinicalConcept.Oedema => "edemes",
            ClinicalConcept.Crackles => "crepitants",
            ClinicalConcept.RaisedJugularPressure => "ingurgitació jugular",
            ClinicalConcept.WeightGain => "augment de pes",
            ClinicalConcept.Nocturia => "nictúria",
            ClinicalConcept.Fatigue => "astènia",
            ClinicalConcept.ThirdHeartSound => "tercer soroll",
            ClinicalConcept.NatriureticPeptide => "pèptids natriürètics",
            ClinicalConcept.Echocardiogram => "ecocardiograma/FEVE",
            ClinicalConcept.Cardiomegaly => "cardiomegàlia",
            ClinicalConcept.PleuralEffusion => "vessament pleural",
            ClinicalConcept.AtrialFibrillation => "fibril·lació auricular",
            _ => throw new ArgumentOutOfRangeException(nameof(concept), concept, null),
        };

    public override string SignState(Assertion assertion) =>
        assertion switch
        {
            Assertion.Affirmed => "present",
            Assertion.Negated => "negat",
            Assertion.Hedged => "dubtós",
            Assertion.Hypothetical => "hipotètic",
            Assertion.Historical => "antecedent",
            _ => "familiar",
        };

    public override string EjectionFractionBand(EjectionFractionCategory category) =>
        category switch
        {
            EjectionFractionCategory.Reduced => "reduïda (IC-FEr si hi ha IC)",
            EjectionFractionCategory.MildlyReduced => "lleugerament reduïda (IC-FElr si hi ha IC)",
            _ => "preservada",
        };

    public override string AgainstThreshold(bool above, string threshold) =>
        $"{(above ? "per sobre de" : "per sota de")} {threshold}";

    public override string Trend(TrendDirection direction, string previous) =>
        direction switch
        {
            TrendDirection.Rising => $"en augment (anterior: {previous})",
            TrendDirection.Falling => $"en descens (anterior: {previous})",
            _ => $"estable (anterior: {previous})",
        };

    public override string MaximumRecorded => "màxim registrat";

    public override string RepeatPeptide(int? years) =>
        years is { } y ? $"de fa {Years(y)}: repetir" : "sense data: repetir";

    public override string RepeatEchocardiogram(int years) => $"de fa {Years(years)}: repetir l'ecocardiograma";

    public override string NoteSign(string dateSuffix, string quote, string sign, string assertion) =>
        $"Nota{dateSuffix}: «{quote}» ({sign}, {assertion})";

    public override string Drug(string drug, DrugReason reason) =>
        reason switch
        {
            DrugReason.SacubitrilValsartan => $"{drug}: sacubitril/valsartan, indicat només en IC",
            DrugReason.LoopDiureticWithoutOtherIndication =>
                $"{drug}: diürètic de nansa sense cap altra indicació registrada",
            DrugReason.LoopDiureticWithKidneyDisease =>
                $"{drug}: diürètic de nansa (amb MRC, una altra indicació possible)",
            _ => $"{drug}: antagonista dels mineralocorticoides",
        };

    public override string NoteClassifier(string percent, string dateSuffix) =>
        $"Classificador de notes: probabilitat {percent}, sobretot per la nota{dateSuffix}";

    public override string KnownDiagnosis(string description) => $"Diagnòstic d'insuficiència cardíaca: {description}";

    public override string NoRecentPeptide => "sense NT-proBNP recent";

    public override string NoEchocardiogram => "sense ecocardiograma";

    public override string H2FpefItem(H2FpefComponent component, string? value) =>
        component switch
        {
            H2FpefComponent.Bmi => $"IMC {value} > 30",
            H2FpefComponent.Obesity => "obesitat",
            H2FpefComponent.Antihypertensives => $"{value} antihipertensius",
            H2FpefComponent.AtrialFibrillation => "FA",
            _ => $"edat {value} > 60",
        };

    public override string H2FpefMissingInput(H2FpefInput input) =>
        input switch
        {
            H2FpefInput.Age => "edat",
            H2FpefInput.Bmi => "IMC",
            H2FpefInput.PulmonaryArterySystolicPressure => "PAPS (ecocardiograma)",
            _ => "E/e' (ecocardiograma)",
        };

    public override string H2Fpef(string score, string present, string missing) =>
        $"H2FPEF ≥ {score} ({present}; falten {missing})";

    public override string AffirmedSigns(string signs, int notes) =>
        $"{signs} en {notes} {(notes == 1 ? "nota" : "notes")}";

    public override string Missing(MissingData missing) =>
        missing switch
        {
            MissingData.RecentPeptide => $"NT-proBNP recent (l'últim té més de {Years(PeptideEvidence.FreshYears)})",
            MissingData.Peptide => "NT-proBNP (cap a la història clínica): sol·licitar-lo si hi ha sospita clínica",
            MissingData.Echocardiogram => "ecocardiograma (sense FEVE registrada)",
            _ => "notes clíniques (cap de llegible)",
        };

    public override string MissingHeading => "Falta";

    public override string NotesClassifierSentence(string percent) => $"Classificador de notes: {percent}.";

    public override string Floor(string criteria, bool decided) =>
        $"Criteri de la guia ESC 2021 sense diagnòstic d'IC: {criteria}; el risc és com a mínim moderat"
        + (decided ? " (nivell fixat per aquest criteri)." : ".");

    public override string LowConfidence => "Confiança baixa";

    public override string NotReassuring =>
        "falten dades per descartar insuficiència cardíaca; no és un resultat tranquil·litzador";

    public override string KnownHeartFailure(string description, string? since) =>
        $"Insuficiència cardíaca ja diagnosticada: {description}{(since is null ? "" : $", des del {since}")}. "
        + "No es marca com a nova.";

    public override string EvidenceHeading => "Evidència";

    public override string AndMore(int count) => $"… i {count} més.";

    public override string Characters(int start, int end) => $"caràcters {start}–{end}";

    public override string PossibleUndiagnosedHeartFailure => "Possible insuficiència cardíaca no diagnosticada";

    public override string RiskAssessmentTitle => "Avaluació del risc d'insuficiència cardíaca";

    public override string CardSource(string model) => $"Cribratge d'IC: {model}";

    public override string OpenDashboard => "Obrir el tauler de cribratge d'IC";

    public override string ConsiderEchocardiography =>
        "Possible insuficiència cardíaca no diagnosticada: valorar ecocardiografia";

    public override string ConsiderNtProBnp => "Possible insuficiència cardíaca no diagnosticada: valorar NT-proBNP";

    public override string RequestEchocardiography => "Sol·licitar ecocardiografia";

    public override string RequestEchocardiographyDetail =>
        "Ecocardiografia transtoràcica per confirmar o descartar IC (ESC 2021).";

    public override string RequestNtProBnp => "Sol·licitar NT-proBNP";

    public override string RequestNtProBnpDetail(string loinc) => $"NT-proBNP en sèrum o plasma (LOINC {loinc}).";

    public override string RequestEchocardiographyForLvef => "Ecocardiografia per mesurar la FEVE.";

    public override string KnownWithoutLvefSummary =>
        "IC diagnosticada sense FEVE registrada: considerar ecocardiografia per fenotipar-la";

    public override string KnownWithoutLvefDetail =>
        "**Insuficiència cardíaca ja diagnosticada**, sense fracció d'ejecció (FEVE) registrada. "
        + "La FEVE classifica la IC (IC-FEr ≤ 40 %, IC-FElr 41–49 %, IC-FEp ≥ 50 %) i orienta el tractament.";

    public override string EstimatedRisk(string level, string percent, string date) =>
        $"Risc estimat: **{level}** ({percent}), a data de {date}.";

    public override string KnownHeartFailureAsOf(string date) =>
        $"**Insuficiència cardíaca ja diagnosticada**, a data de {date}.";

    public override string Disclaimer(string model) =>
        $"_Suport a la decisió clínica ({model}); no és un diagnòstic ni un producte sanitari certificat._";

    public override string OverrideReason(string code) =>
        code switch
        {
            "already-evaluated" => "Ja valorat o en estudi",
            "alternative-explanation" => "Una altra causa explica les troballes",
            "patient-declined" => "El pacient no ho vol",
            _ => "No escau (situació clínica, cures pal·liatives)",
        };

    private static string Years(int years) => years == 1 ? "1 any" : $"{years} anys";
}
