using System.Globalization;
using Clinical.Fhir.Terminology;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Output;

/// <summary>
/// The FHIR resources for one screened patient: a RiskAssessment, a Flag when flagged, their Provenance, and for a
/// flagged patient the summary of the notes (a DocumentReference related to the RiskAssessment, with its Provenance).
/// </summary>
public sealed record ScreeningResources(RiskAssessment RiskAssessment, Flag? Flag, Provenance Provenance)
{
    public SummaryResources? Summary { get; init; }

    /// <summary>How a document refers to the RiskAssessment, in the report's language.</summary>
    public string RiskAssessmentTitle { get; init; } = "";

    public IEnumerable<Resource> All()
    {
        yield return RiskAssessment;
        if (Flag is not null)
            yield return Flag;
        yield return Provenance;
        if (Summary is not null)
        {
            foreach (var resource in Summary.All())
                yield return resource;
        }
    }

    /// <summary>Attaches a summary, relating its DocumentReference to this RiskAssessment.</summary>
    public ScreeningResources WithSummary(SummaryResources summary)
    {
        summary.Document.Context ??= new DocumentReference.ContextComponent();
        summary.Document.Context.Related.Add(
            new ResourceReference($"RiskAssessment/{RiskAssessment.Id}", RiskAssessmentTitle)
        );
        return this with { Summary = summary };
    }
}

/// <summary>
/// Builds the RiskAssessment, Flag, Device and Provenance for a screening report, as explicit initialisers.
/// Codings keep their code systems' displays; every text a clinician reads (resource language, note,
/// CodeableConcept.text) comes from the report's <see cref="ReportText"/>.
/// </summary>
public static class ScreeningResourceBuilder
{
    public static string DeviceId(ModelIdentity model) =>
        $"{model.Name}-{model.Version}".ToLowerInvariant().Replace(' ', '-').Replace('_', '-');

    public static Device Device(ModelIdentity model) =>
        new()
        {
            Id = DeviceId(model),
            Meta = AiAsserted(),
            Status = Hl7.Fhir.Model.Device.FHIRDeviceStatus.Active,
            DeviceName = [new Device.DeviceNameComponent { Name = model.Name, Type = DeviceNameType.ModelName }],
            Version = [new Device.VersionComponent { Value = model.Version }],
            Type = new CodeableConcept
            {
                Text =
                    "Software: heart-failure screening model (clinical decision support, "
                    + "not a certified medical device)",
            },
        };

    public static ScreeningResources Build(ScreeningReport report, string deviceReference)
    {
        var riskId = Guid.NewGuid().ToString();
        var risk = new RiskAssessment
        {
            Id = riskId,
            Meta = AiAsserted(),
            Language = report.Text.Language,
            Status = ObservationStatus.Final,
            Subject = new ResourceReference(report.PatientReference),
            Occurrence = new FhirDateTime(report.ScreenedAt),
            Method = new CodeableConcept { Text = $"{report.Model.Name} {report.Model.Version}" },
            Performer = new ResourceReference(deviceReference, report.Model.Name),
            Basis = report
                .Evidence.Select(e => e.Reference)
                .Distinct(StringComparer.Ordinal)
                .Select(reference => new ResourceReference(reference))
                .ToList(),
            Prediction =
            [
                new RiskAssessment.PredictionComponent
                {
                    Outcome = new CodeableConcept(
                        Snomed.System,
                        Snomed.HeartFailure,
                        "Heart failure",
                        report.Text.Outcome
                    ),
                    Probability = new FhirDecimal(decimal.Round(report.Probability, 4)),
                    QualitativeRisk = new CodeableConcept(
                        ProductCodes.RiskProbabilitySystem,
                        Code(report.Level),
                        Display(report.Level),
                        report.Text.Level
                    ),
                    Rationale = report.Rationale,
                },
            ],
            Note =
            [
                new Annotation
                {
                    Text = new Markdown(report.Text.Note),
                    Time = report.ScreenedAt.ToString("o", CultureInfo.InvariantCulture),
                },
            ],
        };
        risk.AddExtension(ProductCodes.AsOfExtension, new Date(report.AsOf.Year, report.AsOf.Month, report.AsOf.Day));

        Flag? flag = null;
        if (report.FlagsPossibleUndiagnosedHeartFailure)
        {
            flag = new Flag
            {
                Id = Guid.NewGuid().ToString(),
                Meta = AiAsserted(),
                Language = report.Text.Language,
                Status = Flag.FlagStatus.Active,
                Category = [new CodeableConcept(ProductCodes.FlagCategorySystem, "clinical", "Clinical")],
                Code = new CodeableConcept(
                    ProductCodes.ScreeningSystem,
                    ProductCodes.PossibleUndiagnosedHeartFailure,
                    "Posible insuficiencia cardiaca no diagnosticada",
                    report.Text.Flag
                ),
                Subject = new ResourceReference(report.PatientReference),
                Period = new Period { Start = report.ScreenedAt.ToString("o", CultureInfo.InvariantCulture) },
                Author = new ResourceReference(deviceReference, report.Model.Name),
            };
            flag.AddExtension(ProductCodes.FlagDetailExtension, new ResourceReference($"RiskAssessment/{riskId}"));
        }

        var targets = new List<ResourceReference> { new($"RiskAssessment/{riskId}") };
        if (flag is not null)
            targets.Add(new ResourceReference($"Flag/{flag.Id}"));
        var provenance = new Provenance
        {
            Id = Guid.NewGuid().ToString(),
            Target = targets,
            Recorded = report.ScreenedAt,
            Activity = new CodeableConcept(
                "http://terminology.hl7.org/CodeSystem/v3-DataOperation",
                "CREATE",
                "create"
            ),
            Agent =
            [
                new Provenance.AgentComponent
                {
                    Type = new CodeableConcept(
                        "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                        "assembler",
                        "Assembler"
                    ),
                    Who = new ResourceReference(deviceReference, report.Model.Name),
                },
            ],
            Entity = report
                .Evidence.Select(e => e.Reference)
                .Distinct(StringComparer.Ordinal)
                .Select(reference => new Provenance.EntityComponent
                {
                    Role = Provenance.ProvenanceEntityRole.Source,
                    What = new ResourceReference(reference),
                })
                .ToList(),
        };
        return new ScreeningResources(risk, flag, provenance) { RiskAssessmentTitle = report.Text.RiskAssessmentTitle };
    }

    public static string Code(RiskLevel level) =>
        level switch
        {
            RiskLevel.Negligible => "negligible",
            RiskLevel.Low => "low",
            RiskLevel.Moderate => "moderate",
            RiskLevel.High => "high",
            RiskLevel.Certain => "certain",
            _ => throw new ArgumentOutOfRangeException(nameof(level)),
        };

    private static string Display(RiskLevel level) =>
        level switch
        {
            RiskLevel.Negligible => "Negligible likelihood",
            RiskLevel.Low => "Low likelihood",
            RiskLevel.Moderate => "Moderate likelihood",
            RiskLevel.High => "High likelihood",
            RiskLevel.Certain => "Certain",
            _ => throw new ArgumentOutOfRangeException(nameof(level)),
        };

    private static Meta AiAsserted() =>
        new() { Security = [new Coding(ProductCodes.ObservationValueSystem, ProductCodes.AiAsserted, "AI asserted")] };
}
