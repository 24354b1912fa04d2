using Clinical.Api.FhirHttp;

namespace Clinical.Api.Errors;

// The Api's own exception types, each meaning one HTTP answer (see Failure.Of). The libraries keep theirs:
// FhirInputException (Clinical.Fhir), LabelledNotesException, CheckpointException and the other model-file
// exceptions (Clinical.Models); Failure.Of classes them too.

/// <summary>The thing asked for does not exist (404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>
/// The token is valid but does not reach this patient's data (403), e.g. a patient/ scope of another patient.
/// </summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>
/// Data the request needs could not be obtained (412, as CDS Hooks answers when the Patient is unavailable).
/// </summary>
public sealed class PreconditionFailedException(string message) : Exception(message);

/// <summary>The request conflicts with the state of what it names, e.g. a cohort run already running (409).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>The request body is not in a media type this endpoint reads (415).</summary>
public sealed class UnsupportedMediaException(string? contentType, string expected = FhirContent.MediaType)
    : Exception($"Content-Type '{contentType ?? "(none)"}' is not supported; send {expected}.");

/// <summary>The caller's Accept header excludes every media type this endpoint writes (406).</summary>
public sealed class NotAcceptableException(string accept)
    : Exception($"Accept '{accept}' cannot be satisfied; this server answers {FhirContent.MediaType}.");
