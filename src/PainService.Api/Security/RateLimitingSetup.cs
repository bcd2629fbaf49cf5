using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PainService.Api.Errors;

namespace PainService.Api.Security;

/// <summary>The per-client policy and its 429 answer (problem+json, Retry-After). The policy name stays private here.</summary>
public static class RateLimitingSetup
{
    private const string PolicyName = "per-client";

    public static IServiceCollection AddPainRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.SectionName);
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PolicyName, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
                if (!options.Enabled)
                    return RateLimitPartition.GetNoLimiter("off");
                var client = context.User.Identity?.IsAuthenticated == true
                    ? "key:" + context.User.Identity.Name
                    : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitLimit,
                    Window = options.Window,
                    QueueLimit = 0, // refuse at once: a queued HTTP request is a hung client
                });
            });
            limiter.OnRejected = async (rejected, cancellation) =>
            {
                var http = rejected.HttpContext;
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 1;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = 429, Title = "Too many requests",
                        Detail = "This client exceeded its request rate; retry after the indicated delay.",
                        Extensions = { ["code"] = ErrorCodes.RateLimited },
                    },
                });
            };
        });
        return services;
    }

    /// <summary>Applies the per-client limit (a no-op unless RateLimiting:Enabled).</summary>
    public static TBuilder RequirePerClientRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(PolicyName);
}
