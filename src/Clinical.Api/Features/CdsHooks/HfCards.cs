using System.Globalization;
using System.Text;
using System.Text.Json;
using Clinical.Api.Features.Screening;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Fhir.Terminology;
using Clinical.Models.Scoring;
using Clinical.Models.Scoring.Wording;
using Hl7.Fhir.Model;

namespace Clinical.Api.Features.CdsHooks;

/// <summary>
/// Turns one patient's screening into CDS cards, worded in the report's language (the phrase table of
/// <see cref="RiskWording"/>): a warning for possible undiagnosed HF, an info card for known HF only when it adds
/// something.
/// </summary>
public static class HfCards
{
    public const string OverrideReasonSystem = "https://hf-screening.invalid/fhir/CodeSystem/override-reason";

    public static readonly IReadOnlyList<string> OverrideReasonCodes =
    [
        "already-evaluated",
        "alternative-explanation",
        "patient-declined",
        "not-appropriate",
    ];

    public static IReadOnlyList<CdsCoding> OverrideReasons(Phrases phrases) =>
        OverrideReasonCodes
            .Select(code => new CdsCoding(code, OverrideReasonSystem, phrases.OverrideReason(code)))
            .ToList();

    private static Coding Echocardiography =>
        new(Snomed.System, Snomed.Echocardiography, Snomed.EchocardiographyDisplay);

    private static Coding NtProBnp => new(Loinc.System, Loinc.NtProBnp, Loinc.NtProBnpDisplay);

    public static IReadOnlyList<CdsCard> Build(ScreenedPatient screened, string patientId, CdsHooksOptions options)
    {
        var report = screened.Report;
        var wording = RiskWording.For(report.Text.Language);
        var phrases = wording.Phrases;
        var source = new CdsSource(
            phrases.CardSource($"{report.Model.Name} {report.Model.Version}"),
            CdsJson.NullIfEmpty(options.SourceUrl)
        );
        var dashboard = new CdsLink(
            phrases.OpenDashboard,
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
                    phrases.RequestEchocardiography,
                    phrases.RequestEchocardiographyDetail,
                    Echocardiography,
                    patientId,
                    screened
                )
                : Suggest(
                    phrases.RequestNtProBnp,
                    phrases.RequestNtProBnpDetail(Loinc.NtProBnp),
                    NtProBnp,
                    patientId,
                    screened
                );
            return
            [
                new CdsCard(
                    Guid.NewGuid().ToString(),
                    hasPeptide ? phrases.ConsiderEchocardiography : phrases.ConsiderNtProBnp,
                    "warning",
                    source,
                    Detail(report, wording, $"**{phrases.PossibleUndiagnosedHeartFailure}.**"),
                    [suggestion],
                    "at-most-one",
                    OverrideReasons(phrases),
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
                    phrases.KnownWithoutLvefSummary,
                    "info",
                    source,
                    Detail(report, wording, phrases.KnownWithoutLvefDetail),
                    [
                        Suggest(
                            phrases.RequestEchocardiography,
                            phrases.RequestEchocardiographyForLvef,
                            Echocardiography,
                            patientId,
                            screened
                        ),
                    ],
                    "at-most-one",
                    OverrideReasons(phrases),
                    [dashboard]
                ),
            ];
        }
        return [];
    }

    /// <summary>
    /// Headline, the estimate (the level in words, the probability as a percentage), the explanation with its evidence
    /// (the RiskAssessment's note, worded once), and what this is not.
    /// </summary>
    private static string Detail(ScreeningReport report, RiskWording wording, string headline)
    {
        var phrases = wording.Phrases;
        var model = $"{report.Model.Name} {report.Model.Version}";
        var date = wording.Date(report.AsOf);
        var risk =
            report.Level == RiskLevel.Certain
                ? phrases.KnownHeartFailureAsOf(date)
                : phrases.EstimatedRisk(
                    phrases.Level(Category(report.Level)),
                    wording.Percent((double)report.Probability),
                    date
                );
        return string.Join("\n\n", headline, risk, report.Text.Note, phrases.Disclaimer(model));
    }

    private static RiskCategory Category(RiskLevel level) =>
        level switch
        {
            RiskLevel.Negligible => RiskCategory.Negligible,
            RiskLevel.Low => RiskCategory.Low,
            RiskLevel.Moderate => RiskCategory.Moderate,
            RiskLevel.High => RiskCategory.High,
            _ => RiskCategory.Certain,
        };

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
