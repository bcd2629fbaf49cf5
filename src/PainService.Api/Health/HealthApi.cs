using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PainService.Api.Health;

/// <summary>Liveness (no dependencies, answers from the first moment) and readiness (the model can serve).</summary>
public static class HealthApi
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddPainHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ModelReadyHealthCheck>("model", tags: [ReadyTag]);
        return services;
    }

    public static WebApplication MapPainHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithTags("Health").WithSummary("Liveness: the process answers.");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .WithTags("Health").WithSummary("Readiness: the model is loaded and warmed up; the body says why not.");
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                reason = e.Value.Description,
                data = e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
