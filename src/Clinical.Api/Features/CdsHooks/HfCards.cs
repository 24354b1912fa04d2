using System.Globalization;
using System.Text;
using System.Text.Json;
using Clinical.Api.Features.Screening;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Fhir.Terminology;
using Hl7.Fhir.Model;

namespace Clinical.Api.Features.CdsHooks;

/// <summary>
/// Turns one patient's screening into CDS cards (in Spanish): a warning for possible undiagnosed HF, an info card for
/// known HF only when it adds something.
/// </summary>
public static class HfCards
{
    public const string OverrideReasonSystem = "https://hf-screening.invalid/fhir/CodeSystem/override-reason";

    public static readonly IReadOnlyList<CdsCoding> OverrideReasons =
    [
        new("already-evaluated", OverrideReasonSystem, "Ya valorado o en estudio"),
        new("alternative-explanation", OverrideReasonSystem, "Otra causa explica los hallazgos"),
        new("patient-declined", OverrideReasonSystem, "El paciente no lo desea"),
        new("not-appropriate", OverrideReasonSystem, "No procede (situación clínica, cuidados paliativos)"),
    ];

    private static Coding Echocardiography =>
        new(Snomed.System, Snomed.Echocardiography, Snomed.EchocardiographyDisplay);

    private static Coding NtProBnp => new(Loinc.System, Loinc.NtProBnp, Loinc.NtProBnpDisplay);

    public static IReadOnlyList<CdsCard> Build(ScreenedPatient screened, string patientId, CdsHooksOptions options)
    {
        var report = screened.Report;
        var source = new CdsSource(
            $"Cribado IC: {report.Model.Name} {report.Model.Version}",
            CdsJson.NullIfEmpty(options.SourceUrl)
        );
        var dashboard = new CdsLink(
            "Abrir el panel de cribado de IC",
            options.LaunchUrl,
            "smart",
            JsonSerializer.Serialize(new Dictionary<string, string> { ["patientId"] = patientId })
        );
        var hasPeptide =
            screened.Record.Of(MeasurementKind.NtProBnp).Any() || screened.Record.Of(MeasurementKind.Bnp).Any();

        if (report.FlagsPossibleUndiagnosedHeartFailure)
        {
            var suggestion = hasPeptide
                ? Suggest(
                    "Solicitar ecocardiografía",
                    "Ecocardiografía transtorácica para confirmar o descartar IC (ESC 2021).",
                    Echocardiography,
                    patientId,
                    screened
                )
                : Suggest(
                    "Solicitar NT-proBNP",
                    $"NT-proBNP en suero o plasma (LOINC {Loinc.NtProBnp}).",
                    NtProBnp,
                    patientId,
                    screened
                );
            return
            [
                new CdsCard(
                    Guid.NewGuid().ToString(),
                    hasPeptide
                        ? "Posible insuficiencia cardiaca no diagnosticada: valorar ecocardiografía"
                        : "Posible insuficiencia cardiaca no diagnosticada: valorar NT-proBNP",
                    "warning",
                    source,
                    Detail(report, "**Posible insuficiencia cardiaca no diagnosticada.**"),
                    [suggestion],
                    "at-most-one",
                    OverrideReasons,
                    [dashboard]
                ),
            ];
        }
        if (report.Level == RiskLevel.Certain && !screened.Record.Of(MeasurementKind.Lvef).Any())
        {
            return
            [
                new CdsCard(
                    Guid.NewGuid().ToString(),
                    "IC diagnosticada sin FEVI registrada: considerar ecocardiografía para fenotipar",
                    "info",
                    source,
                    Detail(
                        report,
                        "**Insuficiencia cardiaca ya diagnosticada**, sin fracción de eyección (FEVI) registrada. "
                            + "La FEVI clasifica la IC (IC-FEr ≤ 40 %, IC-FElr 41–49 %, IC-FEp ≥ 50 %) y orienta el "
                            + "tratamiento."
                    ),
                    [
                        Suggest(
                            "Solicitar ecocardiografía",
                            "Ecocardiografía para medir la FEVI.",
                            Echocardiography,
                            patientId,
                            screened
                        ),
                    ],
                    "at-most-one",
                    OverrideReasons,
                    [dashboard]
                ),
            ];
        }
        return [];
    }

    /// <summary>
    /// Headline, the estimate, the explanation with its evidence (formatted once, as in the RiskAssessment's note),
    /// and what this is not.
    /// </summary>
    private static string Detail(ScreeningReport report, string headline)
    {
        var level = ScreeningResourceBuilder.Code(report.Level);
        var model = $"{report.Model.Name} {report.Model.Version}";
        var risk = FormattableString.Invariant(
            $"Riesgo estimado: **{level}** (probabilidad {report.Probability:0.00}), a fecha {report.AsOf:yyyy-MM-dd}."
        );
        return string.Join(
            "\n\n",
            headline,
            risk,
            EvidenceText.ExplanationAndEvidence(report),
            $"_Apoyo a la decisión clínica ({model}); no es un diagnóstico ni un producto sanitario certificado._"
        );
    }

    private static CdsSuggestion Suggest(
        string label,
        string description,
        Coding code,
        string patientId,
        ScreenedPatient screened
    )
    {
        var order = new ServiceRequest
        {
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Proposal,
            Code = new CodeableConcept { Coding = [code], Text = label },
            Subject = new ResourceReference($"Patient/{patientId}"),
            ReasonReference = [new ResourceReference($"RiskAssessment/{screened.Resources.RiskAssessment.Id}")],
        };
        using var json = JsonDocument.Parse(FhirJson.Serialize(order, indented: false));
        return new CdsSuggestion(
            label,
            Guid.NewGuid().ToString(),
            true,
            [new CdsAction("create", description, json.RootElement.Clone())]
        );
    }
}
