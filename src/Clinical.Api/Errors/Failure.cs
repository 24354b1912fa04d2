using Clinical.Fhir.Parsing;
using Clinical.Models.Training;
using FluentValidation;

namespace Clinical.Api.Errors;

/// <summary>Whose fault a failure is, decided once for HTTP and the command line.</summary>
public enum FailureClass
{
    /// <summary>The request or the data it names is wrong; the caller can fix it. HTTP 4xx, exit 2.</summary>
    BadInput,

    /// <summary>The caller stopped the work (client gone, Ctrl-C). HTTP 499, exit 1.</summary>
    Cancelled,

    /// <summary>
    /// Anything else: a bug, or a model, file or database the process was set up with. HTTP 500, exit 1; logged with
    /// its stack trace.
    /// </summary>
    Unexpected,
}

/// <summary>
/// A failure as both channels report it: its class, its HTTP status and its issues (an OperationOutcome over HTTP,
/// one stderr line on the command line). <see cref="Of"/> is the one table of exception types.
/// </summary>
public sealed record Failure(FailureClass Class, int Status, IReadOnlyList<InputIssue> Issues)
{
    /// <summary>
    /// Bad input is what a request can carry: FHIR that cannot be used, a request that fails validation, JSON that
    /// does not parse, labelled notes that cannot be read, a value out of its range (ArgumentException; libraries
    /// reject option values this way, e.g. --epochs 0), and HTTP's own refusals. A model folder that cannot be
    /// loaded (CheckpointException, a missing file) is not: over HTTP it is the server's configuration, so it is
    /// unexpected in both channels; requests that name a folder check it in their validator.
    /// </summary>
    public static Failure Of(Exception exception) =>
        exception switch
        {
            FhirInputException { IsTooLarge: true } e => Input(StatusCodes.Status413PayloadTooLarge, e.Issues),
            FhirInputException e
                when e.Issues.All(i =>
                    i.Code is "required" or "not-found" or "business-rule" || i.Severity == IssueSeverity.Warning
                ) => Input(StatusCodes.Status422UnprocessableEntity, e.Issues),
            FhirInputException e => Input(StatusCodes.Status400BadRequest, e.Issues),
            ValidationException e => Input(
                StatusCodes.Status400BadRequest,
                e.Errors.Select(f => new InputIssue(IssueSeverity.Error, "invalid", f.ErrorMessage, f.PropertyName))
                    .ToList()
            ),
            LabelledNotesException e => Input(StatusCodes.Status422UnprocessableEntity, "invalid", e.Message),
            ArgumentException e and not ArgumentNullException => Input(
                StatusCodes.Status400BadRequest,
                [new InputIssue(IssueSeverity.Error, "value", WithoutParameterName(e), e.ParamName)]
            ),
            UnsupportedMediaException e => Input(StatusCodes.Status415UnsupportedMediaType, "not-supported", e.Message),
            NotAcceptableException e => Input(StatusCodes.Status406NotAcceptable, "not-supported", e.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Input(
                StatusCodes.Status413PayloadTooLarge,
                "too-costly",
                "The request body is larger than this server accepts."
            ),
            BadHttpRequestException e => Input(e.StatusCode, "invalid", e.Message),
            NotFoundException e => Input(StatusCodes.Status404NotFound, "not-found", e.Message),
            ConflictException e => Input(StatusCodes.Status409Conflict, "conflict", e.Message),
            ForbiddenException e => Input(StatusCodes.Status403Forbidden, "forbidden", e.Message),
            PreconditionFailedException e => Input(StatusCodes.Status412PreconditionFailed, "not-found", e.Message),
            System.Text.Json.JsonException e => Input(
                StatusCodes.Status400BadRequest,
                [
                    new InputIssue(
                        IssueSeverity.Error,
                        "structure",
                        JsonProblem(e),
                        e.Path,
                        e.LineNumber + 1,
                        e.BytePositionInLine + 1
                    ),
                ]
            ),
            OperationCanceledException => new Failure(
                FailureClass.Cancelled,
                ClientClosedRequest,
                [new InputIssue(IssueSeverity.Error, "timeout", "The request was cancelled.")]
            ),
            _ => new Failure(
                FailureClass.Unexpected,
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

    /// <summary>
    /// What is wrong with a JSON body, without System.Text.Json's wording (which names .NET types and repeats the
    /// position the issue already carries).
    /// </summary>
    private static string JsonProblem(System.Text.Json.JsonException e)
    {
        if (e.Message.Contains("could not be converted", StringComparison.Ordinal))
            return "The body is not valid JSON for this endpoint: "
                + $"the value at {e.Path ?? "$"} has the wrong JSON type.";
        var message = e.Message;
        foreach (var marker in (string[])[" Path: ", " LineNumber: "])
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
                message = message[..cut];
        }
        return $"The body is not valid JSON for this endpoint: {message.TrimEnd(' ', '|')}";
    }

    /// <summary>nginx's code for a request the client gave up on; no standard status fits.</summary>
    public const int ClientClosedRequest = 499;

    private static Failure Input(int status, IReadOnlyList<InputIssue> issues) =>
        new(FailureClass.BadInput, status, issues);

    private static Failure Input(int status, string code, string message) =>
        Input(status, [new InputIssue(IssueSeverity.Error, code, message)]);

    /// <summary>
    /// The message without what ArgumentException appends to it: " (Parameter 'name')" and, for an out-of-range
    /// value, a second line "Actual value was ...". The parameter stays as the issue's location.
    /// </summary>
    private static string WithoutParameterName(ArgumentException e)
    {
        var message = e.Message.Split('\n', 2)[0].TrimEnd('\r');
        var suffix = $" (Parameter '{e.ParamName}')";
        return e.ParamName is not null && message.EndsWith(suffix, StringComparison.Ordinal)
            ? message[..^suffix.Length]
            : message;
    }
}
