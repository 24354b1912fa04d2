using System.Globalization;
using Clinical.Models.Language;
using Clinical.Models.Scoring.Evidence;

namespace Clinical.Models.Scoring.Wording;

/// <summary>Castilian Spanish (es-ES).</summary>
public sealed class SpanishPhrases : Phrases
{
    public override string Language => "es";

    public override CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("es-ES");

    public override string And => "y";

    public override string HeartFailure => "insuficiencia cardiaca";

    public override string Lvef => "FEVI";

    public override string Level(RiskCategory category) =>
        category switch
        {
            RiskCategory.Negligible => "despreciable",
            RiskCategory.Low => "bajo",
            RiskCategory.Moderate => "moderado",
            RiskCategory.High => "alto",
            _ => "insuficiencia cardiaca ya diagnosticada",
        };

    public override string Risk(RiskCategory category) =>
        category == RiskCategory.Certain ? "Insuficiencia cardiaca ya diagnosticada" : $"Riesgo {Level(category)}";

    public override string Sign(ClinicalConcept concept) =>
        concept switch
        {
            ClinicalConcept.HeartFailure => "insuficiencia cardiaca",
            ClinicalConcept.ExertionalDyspnoea => "disnea de esfuerzo",
            ClinicalConcept.Orthopnoea => "ortopnea",
            ClinicalConcept.ParoxysmalNocturnalDyspnoea => "disnea paroxística nocturna",
            ClinicalConcept.Oedema => "edemas",
            ClinicalConcept.Crackles => "crepitantes",
            ClinicalConcept.RaisedJugularPressure => "ingurgitación yugular",
            ClinicalConcept.WeightGain => "aumento de peso",
            ClinicalConcept.Nocturia => "nicturia",
            ClinicalConcept.Fatigue => "astenia",
            ClinicalConcept.ThirdHeartSound => "tercer ruido",
            ClinicalConcept.NatriureticPeptide => "péptidos natriuréticos",
            ClinicalConcept.Echocardiogram => "ecocardiograma/FEVI",
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
            Assertion.Hedged => "dudoso",
            Assertion.Hypothetical => "hipotético",
            Assertion.Historical => "antecedente",
            _ => "familiar",
        };

    public override string EjectionFractionBand(EjectionFractionCategory category) =>
        category switch
        {
            EjectionFractionCategory.Reduced => "reducida (IC-FEr si hay IC)",
            EjectionFractionCategory.MildlyReduced => "ligeramente reducida (IC-FElr si hay IC)",
            _ => "preservada",
        };

    public override string AgainstThreshold(bool above, string threshold) =>
        $"{(above ? "por encima de" : "por debajo de")} {threshold}";

    public override string Trend(TrendDirection direction, string previous) =>
        direction switch
        {
            TrendDirection.Rising => $"en aumento (previo {previous})",
            TrendDirection.Falling => $"en descenso (previo {previous})",
            _ => $"estable (previo {previous})",
        };

    public override string MaximumRecorded => "máximo registrado";

    public override string RepeatPeptide(int? years) =>
        years is { } y ? $"de hace {Years(y)}: repetir" : "sin fecha: repetir";

    public override string RepeatEchocardiogram(int years) => $"de hace {Years(years)}: repetir ecocardiograma";

    public override string NoteSign(string dateSuffix, string quote, string sign, string assertion) =>
        $"Nota{dateSuffix}: «{quote}» ({sign}, {assertion})";

    public override string Drug(string drug, DrugReason reason) =>
        reason switch
        {
            DrugReason.SacubitrilValsartan => $"{drug}: sacubitrilo/valsartán, indicado solo en IC",
            DrugReason.LoopDiureticWithoutOtherIndication => $"{drug}: diurético de asa sin otra indicación registrada",
            DrugReason.LoopDiureticWithKidneyDisease => $"{drug}: diurético de asa (con ERC, otra posible indicación)",
            _ => $"{drug}: antagonista de mineralocorticoides",
        };

    public override string NoteClassifier(string percent, string dateSuffix) =>
        $"Clasificador de notas: probabilidad {percent}, sobre todo por la nota{dateSuffix}";

    public override string KnownDiagnosis(string description) =>
        $"Diagnóstico de insuficiencia cardiaca: {description}";

    public override string NoRecentPeptide => "sin NT-proBNP reciente";

    public override string NoEchocardiogram => "sin ecocardiograma";

    public override string H2FpefItem(H2FpefComponent component, string? value) =>
        component switch
        {
            H2FpefComponent.Bmi => $"IMC {value} > 30",
            H2FpefComponent.Obesity => "obesidad",
            H2FpefComponent.Antihypertensives => $"{value} antihipertensivos",
            H2FpefComponent.AtrialFibrillation => "FA",
            _ => $"edad {value} > 60",
        };

    public override string H2FpefMissingInput(H2FpefInput input) =>
        input switch
        {
            H2FpefInput.Age => "edad",
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
                $"NT-proBNP reciente (el último tiene más de {Years(PeptideEvidence.FreshYears)})",
            MissingData.Peptide => "NT-proBNP (ninguno en la historia): solicitarlo si hay sospecha clínica",
            MissingData.Echocardiogram => "ecocardiograma (sin FEVI registrada)",
            _ => "notas clínicas (ninguna legible)",
        };

    public override string MissingHeading => "Falta";

    public override string NotesClassifierSentence(string percent) => $"Clasificador de notas: {percent}.";

    public override string Floor(string criteria, bool decided) =>
        $"Criterio de la guía ESC 2021 sin diagnóstico de IC: {criteria}; el riesgo es como mínimo moderado"
        + (decided ? " (nivel fijado por este criterio)." : ".");

    public override string LowConfidence => "Confianza baja";

    public override string NotReassuring =>
        "faltan datos para descartar insuficiencia cardiaca; no es un resultado tranquilizador";

    public override string KnownHeartFailure(string description, string? since) =>
        $"Insuficiencia cardiaca ya diagnosticada: {description}{(since is null ? "" : $", desde {since}")}. "
        + "No se marca como nueva.";

    public override string EvidenceHeading => "Evidencia";

    public override string AndMore(int count) => $"… y {count} más.";

    public override string Characters(int start, int end) => $"caracteres {start}–{end}";

    public override string PossibleUndiagnosedHeartFailure => "Posible insuficiencia cardiaca no diagnosticada";

    public override string RiskAssessmentTitle => "Evaluación de riesgo de insuficiencia cardiaca";

    public override string CardSource(string model) => $"Cribado IC: {model}";

    public override string OpenDashboard => "Abrir el panel de cribado de IC";

    public override string ConsiderEchocardiography =>
        "Posible insuficiencia cardiaca no diagnosticada: valorar ecocardiografía";

    public override string ConsiderNtProBnp => "Posible insuficiencia cardiaca no diagnosticada: valorar NT-proBNP";

    public override string RequestEchocardiography => "Solicitar ecocardiografía";

    public override string RequestEchocardiographyDetail =>
        "Ecocardiografía transtorácica para confirmar o descartar IC (ESC 2021).";

    public override string RequestNtProBnp => "Solicitar NT-proBNP";

    public override string RequestNtProBnpDetail(string loinc) => $"NT-proBNP en suero o plasma (LOINC {loinc}).";

    public override string RequestEchocardiographyForLvef => "Ecocardiografía para medir la FEVI.";

    public override string KnownWithoutLvefSummary =>
        "IC diagnosticada sin FEVI registrada: considerar ecocardiografía para fenotipar";

    public override string KnownWithoutLvefDetail =>
        "**Insuficiencia cardiaca ya diagnosticada**, sin fracción de eyección (FEVI) registrada. "
        + "La FEVI clasifica la IC (IC-FEr ≤ 40 %, IC-FElr 41–49 %, IC-FEp ≥ 50 %) y orienta el tratamiento.";

    public override string EstimatedRisk(string level, string percent, string date) =>
        $"Riesgo estimado: **{level}** ({percent}), a fecha {date}.";

    public override string KnownHeartFailureAsOf(string date) =>
        $"**Insuficiencia cardiaca ya diagnosticada**, a fecha {date}.";

    public override string Disclaimer(string model) =>
        $"_Apoyo a la decisión clínica ({model}); no es un diagnóstico ni un producto sanitario certificado._";

    public override string OverrideReason(string code) =>
        code switch
        {
            "already-evaluated" => "Ya valorado o en estudio",
            "alternative-explanation" => "Otra causa explica los hallazgos",
            "patient-declined" => "El paciente no lo desea",
            _ => "No procede (situación clínica, cuidados paliativos)",
        };

    private static string Years(int years) => years == 1 ? "1 año" : $"{years} años";
}
