using Microsoft.Extensions.DependencyInjection.Extensions;
using PainService.Api.Inference;
using PainService.Api.Observability;
using PainService.Api.Predictions;
using PainService.Model.Inference;

namespace PainService.Api.Batching;

public static class InferenceSetup
{
    /// <summary>Queue, batcher, inference thread, model host and loader, metrics and the prediction service.</summary>
    public static IServiceCollection AddPainInference(this IServiceCollection services)
    {
        services.AddOptions<BatchingOptions>().BindConfiguration(BatchingOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.MaxBatchDelay >= TimeSpan.Zero && o.RequestTimeout > TimeSpan.Zero && o.ForwardTimeout > TimeSpan.Zero
                && o.DrainTimeout > TimeSpan.Zero, "Batching delays and timeouts must be positive.")
            .ValidateOnStart();
        // Shutdown waits this long for the batcher to answer everything still queued.
        services.AddOptions<HostOptions>().Configure<Microsoft.Extensions.Options.IOptions<BatchingOptions>>(
            (host, batching) => host.ShutdownTimeout = batching.Value.DrainTimeout);

        services.AddOptions<PainModelOptions>().BindConfiguration(PainModelOptions.SectionName);
        services.TryAddSingleton<IPredictorLoader, TorchPredictorLoader>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<InferenceQueue>();
        services.AddSingleton<ShutdownDrain>();
        services.TryAddSingleton<ProcessExit>();
        services.AddSingleton<InferenceThread>();
        services.AddSingleton<ForwardRunner>();
        services.AddSingleton<ModelHost>();
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<PredictionService>();
        services.AddHostedService<ModelLoaderService>();
        services.AddHostedService<BatchingService>();
        return services;
    }
}
