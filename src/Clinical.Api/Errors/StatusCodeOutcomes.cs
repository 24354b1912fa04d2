using Clinical.Fhir.Parsing;

namespace Clinical.Api.Errors;

/// <summary>
/// An OperationOutcome body for every error status the framework answers without one: 404 (no endpoint), 405 (wrong
/// method), and any other bodiless 4xx/5xx. Errors the service raises itself already carry one.
/// </summary>
public static class StatusCodeOutcomes
{
    public static void UseOperationOutcomeForEveryStatus(this WebApplication app) =>
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            var status = http.Response.StatusCode;
            return OperationOutcomeExceptionHandler.WriteAsync(
                http,
                status,
                [Issue(status, http.Request.Method)],
                http.RequestAborted
            );
        });

    public static InputIssue Issue(int status, string method) =>
        status switch
        {
            StatusCodes.Status404NotFound => new InputIssue(
                IssueSeverity.Error,
                "not-found",
                "Nothing is served at this path: see /fhir/metadata (FHIR) and /cds-services (CDS Hooks)."
            ),
            StatusCodes.Status405MethodNotAllowed => new InputIssue(
                IssueSeverity.Error,
                "not-supported",
                $"{ErrorText.Echo(method, 16)} is not allowed on this endpoint."
            ),
            >= 500 => new InputIssue(
                IssueSeverity.Fatal,
                "exception",
                $"The request failed with HTTP status {status}."
            ),
            _ => new InputIssue(IssueSeverity.Error, "processing", $"The request failed with HTTP status {status}."),
        };
}
