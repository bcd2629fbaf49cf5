using System.Diagnostics;
using PainService.Api.Errors;

namespace PainService.Api.Observability;

/// <summary>
/// One structured line per request: request id, client (API key name), route template, status, error code and
/// duration. Deliberately never the path values, query string, headers, file names or body — any of which may
/// carry patient data. Probes and scrapes log at Debug so they do not drown the rest.
/// </summary>
public sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    /// <summary>Where handlers leave the problem code of their answer for this log line.</summary>
    public const string ProblemCodeItem = "painservice.problem-code";

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        string? failure = null;
        var failureStatus = 500;
        try
        {
            await next(context);
        }
        catch (Exception e) when (ClientAbort.Is(context, e))
        {
            (failure, failureStatus) = ("client_closed", 499); // the caller went away; nothing is answered
            throw;
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel refused the request while it was read (body over the limit, broken framing, or a client that
            // closed before sending its Content-Length, seen before Kestrel's abort signal): the exception handler
            // answers this status with the same code.
            (failure, failureStatus) = (ErrorCodes.ForStatus(e.StatusCode), e.StatusCode);
            throw;
        }
        catch
        {
            failure = "internal_error"; // the exception handler (outside this middleware) answers 500
            throw;
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
            var client = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name ?? "?" : "anonymous";
            var code = failure ?? (context.Items.TryGetValue(ProblemCodeItem, out var value) ? value as string ?? "" : "");
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var quiet = route.StartsWith("/health", StringComparison.Ordinal) || route.StartsWith("/metrics", StringComparison.Ordinal);
            Log(logger, quiet ? LogLevel.Debug : LogLevel.Information, context.TraceIdentifier, client,
                context.Request.Method, route, failure is null ? context.Response.StatusCode : failureStatus, code, elapsed);
        }
    }

    [LoggerMessage(Message = "Request {RequestId} from {Client}: {Method} {Route} → {StatusCode} {ErrorCode} in {ElapsedMs:F1} ms")]
    private static partial void Log(ILogger logger, LogLevel level, string requestId, string client, string method,
        string route, int statusCode, string errorCode, double elapsedMs);
}
