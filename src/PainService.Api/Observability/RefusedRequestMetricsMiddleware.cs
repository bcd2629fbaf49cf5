using PainService.Api.Errors;

namespace PainService.Api.Observability;

/// <summary>
/// Counts prediction requests refused before their handler ran: 401/403 from authentication and authorization, 429
/// from the rate limiter. Without this the request counter would only see requests that got past those gates, and an
/// attack or a misconfigured client would be invisible on the dashboard. Handlers count every other answer
/// themselves and never answer 401/403/429, so nothing is counted twice.
/// </summary>
public sealed class RefusedRequestMetricsMiddleware(RequestDelegate next, ServiceMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var status = context.Response.StatusCode;
        if (status is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status429TooManyRequests))
            return;
        if (context.GetEndpoint()?.Metadata.GetMetadata<PredictionRequestMetadata>() is null)
            return;
        var code = context.Items.TryGetValue(RequestLoggingMiddleware.ProblemCodeItem, out var value) && value is string s
            ? s
            : ErrorCodes.ForStatus(status);
        // 429 is a refusal for capacity like a 503 ("rejected"); a missing key or role is the caller's error.
        metrics.RecordOutcome(status == StatusCodes.Status429TooManyRequests ? "rejected" : "client_error", code);
    }
}
