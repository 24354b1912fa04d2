using Clinical.Api.FhirHttp;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Microsoft.AspNetCore.Diagnostics;

namespace Clinical.Api.Errors;

/// <summary>
/// Where failures become HTTP: an OperationOutcome with the status <see cref="Failure.Of"/> gives, never a stack
/// trace. An unexpected failure is logged with its type and stack trace but not its message, which can quote the
/// request (a patient's name, a note).
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
        var failure = Failure.Of(exception);
        if (failure.Class == FailureClass.Unexpected)
            LogUnexpected(
                exception.GetType().FullName ?? exception.GetType().Name,
                httpContext.TraceIdentifier,
                ExceptionTrace.WithoutMessages(exception)
            );
        await WriteAsync(httpContext, failure.Status, failure.Issues, cancellationToken);
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
        var outcome = OperationOutcomeBuilder.From(ErrorText.ForCaller(issues, status));
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = FhirContent.MediaType;
        await httpContext.Response.WriteAsync(FhirJson.Serialize(outcome), cancellationToken);
    }

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "Unexpected {Error} while handling request {TraceId}\n{StackTrace}"
    )]
    private partial void LogUnexpected(string error, string traceId, string stackTrace);
}
