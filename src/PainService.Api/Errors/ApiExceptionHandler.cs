using Microsoft.AspNetCore.Diagnostics;

namespace PainService.Api.Errors;

/// <summary>
/// Last line of defence: whatever escapes a handler becomes problem+json with a code. Unexpected exceptions are
/// logged here (type and stack, never the request body) and answered 500 <c>internal_error</c> without details.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (ClientAbort.Is(context, exception))
        {
            // The client went away mid-request (closed or reset its connection): nothing to answer, not an error.
            LogClientAborted(logger, context.TraceIdentifier, exception.GetType().Name);
            // Marks the connection aborted at once, so Kestrel does not try to drain the rest of a body the
            // client will never send (which it would log as an error of its own).
            context.Abort();
            return true;
        }

        var problem = exception switch
        {
            ApiProblemException e => e.Problem,
            BadHttpRequestException { StatusCode: 413 } => new ApiProblem(413, ErrorCodes.PayloadTooLarge,
                "Payload too large", "The request body exceeds the upload limit."),
            BadHttpRequestException e => new ApiProblem(e.StatusCode, ErrorCodes.ForStatus(e.StatusCode),
                "Bad request", "The request could not be read."),
            _ => null,
        };
        if (problem is null)
        {
            LogUnhandled(logger, exception, context.TraceIdentifier);
            problem = new ApiProblem(500, ErrorCodes.InternalError, "Internal error",
                "An unexpected error occurred. Quote the requestId when reporting it.");
        }
        if (problem.RetryAfterSeconds is { } seconds)
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.StatusCode = problem.Status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = problem.Status, Title = problem.Title, Detail = problem.Detail,
                Extensions = { ["code"] = problem.Code },
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId}: the client went away ({ExceptionType}); nothing answered")]
    private static partial void LogClientAborted(ILogger logger, string requestId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in request {RequestId}")]
    private static partial void LogUnhandled(ILogger logger, Exception error, string requestId);
}
