using System.Diagnostics;
using Mediator;

namespace Clinical.Api.Pipeline;

/// <summary>First in the pipeline: logs the request type and duration, never its content (it carries PHI).</summary>
public sealed partial class LoggingBehaviour<TMessage, TResponse>(ILogger<LoggingBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    private static readonly string RequestName = typeof(TMessage).Name;

    public async ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken
    )
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogHandled(RequestName, elapsed);
            return response;
        }
        catch (Exception ex)
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogFailed(RequestName, ex.GetType().Name, elapsed);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Request} handled in {ElapsedMs:0.0} ms")]
    private partial void LogHandled(string request, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Request} failed with {Error} after {ElapsedMs:0.0} ms")]
    private partial void LogFailed(string request, string error, double elapsedMs);
}
