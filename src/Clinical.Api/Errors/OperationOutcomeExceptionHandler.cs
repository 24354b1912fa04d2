using Clinical.Api.FhirHttp;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;

namespace Clinical.Api.Errors;

/// <summary>
/// The one place where failures become HTTP: an OperationOutcome with the right status, never a stack trace.
/// </summary>
public sealed partial class OperationOutcomeExceptionHandler(ILogger<OperationOutcomeExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(
        HttpContext httpContext,
        Exception exception,
        CancellationToken cancellationToken
    )
    {
        var (status, issues) = Translate(exception);
        if (status >= 500)
            LogUnexpected(exception.GetType().Name, httpContext.TraceIdentifier);
        await WriteAsync(httpContext, status, issues, cancellationToken);
        return true;
    }

    /// <summary>
    /// Writes an OperationOutcome answer; also used by authentication, authorisation and rate limiting, which fail
    /// before any handler.
    /// </summary>
    public static async Task WriteAsync(
        HttpContext httpContext,
        int status,
        IReadOnlyList<InputIssue> issues,
        CancellationToken cancellationToken = default
    )
    {
        var outcome = OperationOutcomeBuilder.From(issues);
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = FhirContent.MediaType;
        await httpContext.Response.WriteAsync(FhirJson.Serialize(outcome), cancellationToken);
    }

    /// <summary>Maps a failure to its HTTP status and issues; the command line uses the same mapping.</summary>
    public static (int Status, IReadOnlyList<InputIssue> Issues) Translate(Exception exception) =>
        exception switch
        {
            FhirInputException { IsTooLarge: true } e => (StatusCodes.Status413PayloadTooLarge, e.Issues),
            FhirInputException e
                when e.Issues.All(i =>
                    i.Code is "required" or "not-found" or "business-rule" || i.Severity == IssueSeverity.Warning
                ) => (StatusCodes.Status422UnprocessableEntity, e.Issues),
            FhirInputException e => (StatusCodes.Status400BadRequest, e.Issues),
            ValidationException e => (
                StatusCodes.Status400BadRequest,
                e.Errors.Select(f => new InputIssue(IssueSeverity.Error, "invalid", f.ErrorMessage, f.PropertyName))
                    .ToList()
            ),
            UnsupportedMediaException e => (
                StatusCodes.Status415UnsupportedMediaType,
                [new InputIssue(IssueSeverity.Error, "not-supported", e.Message)]
            ),
            NotAcceptableException e => (
                StatusCodes.Status406NotAcceptable,
                [new InputIssue(IssueSeverity.Error, "not-supported", e.Message)]
            ),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (
                StatusCodes.Status413PayloadTooLarge,
                [
                    new InputIssue(
                        IssueSeverity.Error,
                        "too-costly",
                        "The request body is larger than this server accepts."
                    ),
                ]
            ),
            BadHttpRequestException e => (e.StatusCode, [new InputIssue(IssueSeverity.Error, "invalid", e.Message)]),
            NotFoundException e => (
                StatusCodes.Status404NotFound,
                [new InputIssue(IssueSeverity.Error, "not-found", e.Message)]
            ),
            PreconditionFailedException e => (
                StatusCodes.Status412PreconditionFailed,
                [new InputIssue(IssueSeverity.Error, "not-found", e.Message)]
            ),
            System.Text.Json.JsonException e => (
                StatusCodes.Status400BadRequest,
                [
                    new InputIssue(
                        IssueSeverity.Error,
                        "structure",
                        $"The body is not valid JSON for this endpoint: {e.Message}",
                        e.Path
                    ),
                ]
            ),
            OperationCanceledException => (
                499,
                [new InputIssue(IssueSeverity.Error, "timeout", "The request was cancelled.")]
            ),
            _ => (
                StatusCodes.Status500InternalServerError,
                [
                    new InputIssue(
                        IssueSeverity.Fatal,
                        "exception",
                        "An unexpected error occurred; it has been logged with the request's trace id."
                    ),
                ]
            ),
        };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected {Error} while handling request {TraceId}")]
    private partial void LogUnexpected(string error, string traceId);
}
