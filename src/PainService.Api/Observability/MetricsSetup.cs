using Prometheus;

namespace PainService.Api.Observability;

public static class MetricsSetup
{
    /// <summary>Prometheus text format at /metrics (public: it holds counts and timings, never patient data).</summary>
    public static WebApplication MapPainMetrics(this WebApplication app)
    {
        var registry = app.Services.GetRequiredService<ServiceMetrics>().Registry;
        app.MapMetrics("/metrics", registry).WithTags("Observability").ExcludeFromDescription()
            .RequireAuthorization(Security.SecuritySetup.MetricsPolicy);
        return app;
    }
}
