using System.Globalization;
using Clinical.Models.Language;
using Clinical.Models.Scoring.Evidence;

namespace Clinical.Models.Scoring.Wording;

/// <summary>Galician (gl-ES): insuficiencia cardíaca, FEVE, ingurxitación xugular.</summary>
public sealed class GalicianPhrases : Phrases
{
    public override string Language => "gl";

    public override CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("gl-ES");

    public override string And => "e";

    public override string HeartFailure => "insuficiencia cardíaca";

    public override string Lvef => "FEVE";

    public override string Level(RiskCategory category) =>
        category switch
        {
            RiskCategory.Negligible => "desprezable",
            RiskCategory.Low => "baixo",
            RiskCategory.Moderate => "moderado",
            RiskCategory.High => "alto",
            _ => "insuficiencia cardíaca xa diagnosticada",
        };

    public override string Risk(RiskCategory category) =>
        category == RiskCategory.Certain ? "Insuficiencia cardíaca xa diagnosticada" : $"Risco {Level(category)}";

    public override string Sign(ClinicalConcept concept) =>
        concept switch
        {
            ClinicalConcept.HeartFailure => "insuficiencia cardíaca",
            ClinicalConcept.ExertionalDyspnoea => "dispnea de esforzo",
            ClinicalConcept.Orthopnoea => "ortopnea",
            ClinicalConcept.ParoxysmalNocturnalDyspnoea => "dispnea paroxística nocturna",
            ClinicalConcept.Oedema => "edemas",
            ClinicalConcept.Crackles => "crepitantes",
            ClinicalConcept.RaisedJugularPressure => "ingurxitación xugular",
            ClinicalConcept.WeightGain => "aumento de peso",
            ClinicalConcept.Nocturia => "nicturia",
            ClinicalConcept.Fatigue => "astenia",
            ClinicalConcept.ThirdHeartSound => "terceiro ruído",
            ClinicalConcept.NatriureticPeptide => "péptidos natriuréticos",
            ClinicalConcept.Echocardiogram => "ecocardiograma/FEVE",
            ClinicalConcept.Cardiomegaly => "cardiomegalia",
            ClinicalConcept.PleuralEffusion => "derrame pleural",
            ClinicalConcept.AtrialFibrillation => "fibrilación auricular",
            _ => throw new ArgumentOutOfRangeException(nameof(concept), concept, null),
        };

    public override string SignState(Assertion assertion) =>
        assertion switch
        {
            Assertion.Affirmed => "presente",
            Assertion.Negated => "negado",
            Assertion.Hedged => "dubidoso",
            Assertion.Hypothetical => "hipotético",
            Assertion.Historical => "antecedente",
            _ => "familiar",
        };

    public override string EjectionFractionBand(EjectionFractionCategory category) =>
        category switch
        {
            EjectionFractionCategory.Reduced => "reducida (IC-FEr se hai IC)",
            EjectionFractionCategory.MildlyReduced => "lixeiramente reducida (IC-FElr se hai IC)",
            _ => "preservada",
        };

    public override string AgainstThreshold(bool above, string threshold) =>
        $"{(above ? "por riba de" : "por debaixo de")} {threshold}";

    public override string Trend(TrendDirection direction, string previous) =>
        direction switch
        {
            TrendDirection.Rising => $"en aumento (anterior: {previous})",
            TrendDirection.Falling => $"en descenso (anterior: {previous})",
            _ => $"estable (anterior: {previous})",
        };

    public override string MaximumRecorded => "máximo rexistrado";

    public override string RepeatPeptide(int? years) =>
        years is { } y ? $"de hai {Years(y)}: repetir" : "sen data: repetir";

    public override string RepeatEchocardiogram(int years) => $"de hai {Years(years)}: repetir o ecocardiograma";

    public override string NoteSign(string dateSuffix, string quote, string sign, string assertion) =>
        $"Nota{dateSuffix}: «{quote}» ({sign}, {assertion})";

    public override string Drug(string drug, DrugReason reason) =>
        reason switch
        {
            DrugReason.SacubitrilValsartan => $"{drug}: sacubitrilo/valsartán, indicado só na IC",
            DrugReason.LoopDiureticWithoutOtherIndication =>
                $"{drug}: diurético de asa sen outra indicación rexistrada",
            DrugReason.LoopDiureticWithKidneyDisease => $"{drug}: diurético de asa (con ERC, outra posible indicación)",
            _ => $"{drug}: antagonista dos mineralocorticoides",
        };

    public override string NoteClassifier(string percent, string dateSuffix) =>
        $"Clasificador de notas: probabilidade {percent}, sobre todo pola nota{dateSuffix}";

    public override string KnownDiagnosis(string description) =>
        $"Diagnóstico de insuficiencia cardíaca: {description}";

    public override string NoRecentPeptide => "sen NT-proBNP recente";

    public override string NoEchocardiogram => "sen ecocardiograma";

    public override string H2FpefItem(H2FpefComponent component, string? value) =>
        component switch
        {
            H2FpefComponent.Bmi => $"IMC {value} > 30",
            H2FpefComponent.Obesity => "obesidade",
            H2FpefComponent.Antihypertensives => $"{value} antihipertensivos",
            H2FpefComponent.AtrialFibrillation => "FA",
            _ => $"idade {value} > 60",
        };

    public override string H2FpefMissingInput(H2FpefInput input) =>
        input switch
        {
            H2FpefInput.Age => "idade",
            H2FpefInput.Bmi => "IMC",
            H2FpefInput.PulmonaryArterySystolicPressure => "PAPS (ecocardiograma)",
            _ => "E/e' (ecocardiograma)",
        };

    public override string H2Fpef(string score, string present, string missing) =>
        $"H2FPEF ≥ {score} ({present}; faltan {missing})";

    public override string AffirmedSigns(string signs, int notes) =>
        $"{signs} en {notes} {(notes == 1 ? "nota" : "notas")}";

    public override string Missing(MissingData missing) =>
        missing switch
        {
            MissingData.RecentPeptide =>
                $"NT-proBNP recente (o último ten máis de {Years(PeptideEvidence.FreshYears)})",
            MissingData.Peptide => "NT-proBNP (ningún na historia clínica): solicitalo se hai sospeita clínica",
            MissingData.Echocardiogram => "ecocardiograma (sen FEVE rexistrada)",
            _ => "notas clínicas (ningunha lexible)",
        };

    public override string MissingHeading => "Falta";

    public override string NotesClassifierSentence(string percent) => $"Clasificador de notas: {percent}.";

    public override string Floor(string criteria, bool decided) =>
        $"Criterio da guía ESC 2021 sen diagnóstico de IC: {criteria}; o risco é como mínimo moderado"
        + (decided ? " (nivel fixado por este criterio)." : ".");

    public override string LowConfidence => "Confianza baixa";

    public override string NotReassuring =>
        "faltan datos para descartar insuficiencia cardíaca; non é un resultado tranquilizador";

    public override string KnownHeartFailure(string description, string? since) =>
        $"Insuficiencia cardíaca xa diagnosticada: {description}{(since is null ? "" : $", desde o {since}")}. "
        + "Non se marca como nova.";

    public override string EvidenceHeading => "Evidencia";

    public override string AndMore(int count) => $"… e {count} máis.";

    public override string Characters(int start, int end) => $"caracteres {start}–{end}";

    public override string PossibleUndiagnosedHeartFailure => "Posible insuficiencia cardíaca non diagnosticada";

    public override string RiskAssessmentTitle => "Avaliación do risco de insuficiencia cardíaca";

    public override string CardSource(string model) => $"Cribado de IC: {model}";

    public override string OpenDashboard => "Abrir o panel de cribado de IC";

    public override string ConsiderEchocardiography =>
        "Posible insuficiencia cardíaca non diagnosticada: valorar ecocardiografía";

    public override string ConsiderNtProBnp => "Posible insuficiencia cardíaca non diagnosticada: valorar NT-proBNP";

    public override string RequestEchocardiography => "Solicitar ecocardiografía";

    public override string RequestEchocardiographyDetail =>
        "Ecocardiografía transtorácica para confirmar ou descartar IC (ESC 2021).";

    public override string RequestNtProBnp => "Solicitar NT-proBNP";

    public override string RequestNtProBnpDetail(string loinc) => $"NT-proBNP en soro ou plasma (LOINC {loinc}).";

    public override string RequestEchocardiographyForLvef => "Ecocardiografía para medir a FEVE.";

    public override string KnownWithoutLvefSummary =>
        "IC diagnosticada sen FEVE rexistrada: considerar ecocardiografía para fenotipala";

    public override string KnownWithoutLvefDetail =>
        "**Insuficiencia cardíaca xa diagnosticada**, sen fracción de exección (FEVE) rexistrada. "
        + "A FEVE clasifica a IC (IC-FEr ≤ 40 %, IC-FElr 41–49 %, IC-FEp ≥ 50 %) e orienta o tratamento.";

    public override string EstimatedRisk(string level, string percent, string date) =>
        $"Risco estimado: **{level}** ({percent}), con data do {date}.";

    public override string KnownHeartFailureAsOf(string date) =>
        $"**Insuficiencia cardíaca xa diagnosticada**, con data do {date}.";

    public override string Disclaimer(string model) =>
        $"_Apoio á decisión clínica ({model}); non é un diagnóstico nin un produto sanitario certificado._";

    public override string OverrideReason(string code) =>
        code switch
        {
            "already-evaluated" => "Xa valorado ou en estudo",
            "alternative-explanation" => "Outra causa explica os achados",
            "patient-declined" => "O paciente non o desexa",
            _ => "Non procede (situación clínica, coidados paliativos)",
        };

    private static string Years(int years) => years == 1 ? "1 ano" : $"{years} anos";
}
