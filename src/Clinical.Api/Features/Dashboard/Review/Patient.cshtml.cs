using Clinical.Api.Hosting;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Clinical.Api.Features.Dashboard.Review;

/// <summary>
/// GET /dashboard/patients/{patientId}: where an EHR launch lands (the token's patient); opens the patient's latest
/// flag, or says there is none.
/// </summary>
[Authorize(Policy = DashboardAuthentication.ClinicianPolicy)]
public sealed class PatientModel(IMediator mediator) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string patientId, CancellationToken cancellationToken)
    {
        var reference = patientId.Contains('/', StringComparison.Ordinal) ? patientId : $"Patient/{patientId}";
        var flagId = await mediator.Send(
            new FindPatientFlag(reference, ClinicalAuthentication.Caller(User)),
            cancellationToken
        );
        return flagId is null ? Page() : LocalRedirect($"/dashboard/flags/{Uri.EscapeDataString(flagId)}");
    }
}
