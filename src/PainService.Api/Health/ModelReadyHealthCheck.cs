using Microsoft.Extensions.Diagnostics.HealthChecks;
using PainService.Api.Batching;
using PainService.Api.Inference;

namespace PainService.Api.Health;

/// <summary>Ready = the model is loaded, warmed up, allowed to serve, and the queue still accepts work.</summary>
public sealed class ModelReadyHealthCheck(ModelHost models, InferenceQueue queue) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["modelStatus"] = models.Status.ToString(),
            ["queueDepth"] = queue.Depth,
        };
        if (models.Active?.Descriptor is { } model)
        {
            data["modelVersion"] = model.Version;
            data["trained"] = model.Trained;
        }
        var result = queue.IsClosed
            ? HealthCheckResult.Unhealthy("the service is shutting down", data: data)
            : models.IsReady
                ? HealthCheckResult.Healthy(models.Reason, data)
                : HealthCheckResult.Unhealthy(models.Reason, data: data);
        return Task.FromResult(result);
    }
}
