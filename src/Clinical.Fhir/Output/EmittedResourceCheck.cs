using Hl7.Fhir.Model;
using Hl7.Fhir.Validation;

namespace Clinical.Fhir.Output;

/// <summary>
/// Checks a resource we emit: Firely POCO validation (cardinality, primitive formats) plus the FHIRPath
/// invariants Firely does not evaluate that our outputs could break (ras-2, per-1, flag subject/code, att-1, AIAST on
/// summaries).
/// </summary>
public static class EmittedResourceCheck
{
    public static IReadOnlyList<string> Problems(Resource resource)
    {
        var problems = resource.Validate(NarrativeValidationKind.FhirXhtml, null).Select(e => e.Message).ToList();
        switch (resource)
        {
            case RiskAssessment risk:
                foreach (var prediction in risk.Prediction)
                {
                    if (prediction.Probability is FhirDecimal { Value: { } p } && (p < 0 || p > 1))
                        problems.Add(
                            $"RiskAssessment.prediction.probability {p} is outside 0..1 (ras-2 allows at most 100; "
                                + "the product emits a fraction)."
                        );
                    if (
                        prediction.QualitativeRisk?.Coding.FirstOrDefault()?.System
                        != ProductCodes.RiskProbabilitySystem
                    )
                        problems.Add("RiskAssessment.prediction.qualitativeRisk is not coded in risk-probability.");
                }
                if (risk.Subject?.Reference is null)
                    problems.Add("RiskAssessment.subject is missing.");
                break;
            case DocumentReference document:
                if (document.Subject?.Reference is null)
                    problems.Add("DocumentReference.subject is missing.");
                if (document.Content.Any(c => c.Attachment.Data is { Length: > 0 } && c.Attachment.ContentType is null))
                    problems.Add("DocumentReference.content.attachment has data without contentType (att-1).");
                if (document.Meta?.Security.Any(s => s.Code == ProductCodes.AiAsserted) != true)
                    problems.Add("DocumentReference.meta.security lacks AIAST.");
                break;
            case Provenance provenance:
                if (provenance.Target.Count == 0 || provenance.Target.Any(t => t.Reference is null))
                    problems.Add("Provenance.target is missing.");
                break;
            case Flag flag:
                CheckPeriod(flag.Period, "Flag.period", problems);
                if (flag.Subject?.Reference is null)
                    problems.Add("Flag.subject is missing.");
                break;
        }
        return problems;
    }

    private static void CheckPeriod(Period? period, string path, List<string> problems)
    {
        if (
            period?.StartElement?.ToDateTimeOffset(TimeSpan.Zero) is { } start
            && period.EndElement?.ToDateTimeOffset(TimeSpan.Zero) is { } end
            && start > end
        )
            problems.Add($"{path}: start is after end (per-1).");
    }
}
