using System.Net.Http.Headers;
using System.Text;
using Clinical.Api.Features.Flags;
using Clinical.Api.Hosting;
using Clinical.Api.Persistence;
using Clinical.Api.Pipeline;
using Clinical.Fhir.Output;
using FluentValidation;
using Hl7.Fhir.Model;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Clinical.Api.Features.Dashboard.Review;

/// <summary>
/// A clinician confirms a flag: the suggested test (NT-proBNP, else echocardiography) becomes a draft ServiceRequest,
/// stored with the review and posted to the EHR's FHIR server when the session has one (an EHR launch). The request
/// points at the RiskAssessment through supportingInfo (R4's reasonReference does not allow RiskAssessment).
/// </summary>
public sealed record ConfirmFlag(
    string FlagId,
    int ExpectedVersion,
    string Actor,
    string? FhirServer,
    string? AccessToken
) : IRequest<ConfirmFlagResult>, IAuditedRequest
{
    public string Action => "dashboard-confirm";
}

/// <summary>EhrOutcome: posted (with the EHR's id), failed (with the status), or not-configured.</summary>
public sealed record ConfirmFlagResult(string PatientReference, ServiceRequest Request, string EhrOutcome)
    : IConcernsPatients
{
    public IEnumerable<string> PatientReferences => [PatientReference];
}

public sealed class ConfirmFlagValidator : AbstractValidator<ConfirmFlag>
{
    public ConfirmFlagValidator() => RuleFor(c => c.FlagId).NotEmpty().MaximumLength(64);
}

public sealed class ConfirmFlagHandler(ClinicalDbContext db, TimeProvider clock, IHttpClientFactory http)
    : IRequestHandler<ConfirmFlag, ConfirmFlagResult>
{
    public async ValueTask<ConfirmFlagResult> Handle(ConfirmFlag request, CancellationToken cancellationToken)
    {
        var stored =
            await db.Screenings.SingleOrDefaultAsync(s => s.FlagId == request.FlagId, cancellationToken)
            ?? throw new Errors.NotFoundException($"Flag/{request.FlagId} does not exist.");
        await FlagChangedException.ThrowIfChangedAsync(db, stored, request.ExpectedVersion, cancellationToken);
        var snapshot = stored.ReviewJson is { } json ? ReviewSnapshot.FromJson(json) : null;
        var riskAssessment = FhirJson.Deserialize<RiskAssessment>(stored.RiskAssessmentJson);
        var order = Suggested(
            snapshot?.NextStep ?? ReviewSnapshot.NextNtProBnp,
            stored.PatientReference,
            riskAssessment.Id ?? "",
            clock.GetUtcNow()
        );
        var outcome = await PostAsync(order, request, cancellationToken);
        db.ReviewEvents.Add(
            new ReviewEvent
            {
                Id = Guid.NewGuid(),
                FlagId = request.FlagId,
                PatientReference = stored.PatientReference,
                Kind = "confirm",
                ServiceRequestJson = FhirJson.Serialize(order, indented: false),
                EhrOutcome = outcome,
                Actor = request.Actor,
                At = clock.GetUtcNow(),
            }
        );
        stored.ReviewState = "confirmed";
        stored.Version++;
        await db.SaveChangesAsync(cancellationToken);
        return new ConfirmFlagResult(stored.PatientReference, order, outcome);
    }

    public static ServiceRequest Suggested(
        string nextStep,
        string patient,
        string riskAssessmentId,
        DateTimeOffset now
    ) =>
        new()
        {
            Id = Guid.NewGuid().ToString(),
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Order,
            Code =
                nextStep == ReviewSnapshot.NextEchocardiogram
                    ? new CodeableConcept("http://snomed.info/sct", "40701008", "Echocardiography (procedure)")
                    {
                        Text = "Ecocardiografía transtorácica",
                    }
                    : new CodeableConcept(
                        "http://loinc.org",
                        "33762-6",
                        "Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma"
                    )
                    {
                        Text = "NT-proBNP",
                    },
            Subject = new ResourceReference(patient),
            AuthoredOnElement = new FhirDateTime(now),
            SupportingInfo = [new ResourceReference($"RiskAssessment/{riskAssessmentId}")],
        };

    private async Task<string> PostAsync(ServiceRequest order, ConfirmFlag request, CancellationToken cancellationToken)
    {
        if (request.FhirServer is not { Length: > 0 } server || request.AccessToken is not { Length: > 0 } token)
            return "not-configured";
        using var client = http.CreateClient(DashboardAuthentication.HttpClientName);
        using var message = new HttpRequestMessage(HttpMethod.Post, $"{server.TrimEnd('/')}/ServiceRequest")
        {
            Content = new StringContent(FhirJson.Serialize(order, indented: false), Encoding.UTF8),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await client.SendAsync(message, cancellationToken);
            return response.IsSuccessStatusCode
                ? $"posted {response.Headers.Location?.ToString() ?? ""}".Trim()
                : $"failed {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return "failed unreachable";
        }
    }
}
