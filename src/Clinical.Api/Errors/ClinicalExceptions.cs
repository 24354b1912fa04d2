namespace Clinical.Api.Errors;

/// <summary>The thing asked for does not exist (404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>
/// Data the request needs could not be obtained (412, as CDS Hooks answers when the Patient is unavailable).
/// </summary>
public sealed class PreconditionFailedException(string message) : Exception(message);
