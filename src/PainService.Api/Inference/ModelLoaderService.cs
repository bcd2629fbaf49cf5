using Microsoft.Extensions.Options;
using PainService.Api.Batching;
using PainService.Api.Observability;
using PainService.Model.Inference;
using Polly;

namespace PainService.Api.Inference;

/// <summary>
/// Loads and warms up the model in the background at start-up, so /health/live answers at once and /health/ready
/// turns true only when a real forward pass has run. Any failure leaves the service not ready with the reason in
/// /health/ready and one clear log line, never a 500 per request.
/// </summary>
public sealed partial class ModelLoaderService(
    IPredictorLoader loader,
    InferenceThread inferenceThread,
    ModelHost models,
    ServiceMetrics metrics,
    IHostEnvironment environment,
    IOptions<PainModelOptions> modelOptions,
    IServiceProvider services,
    TimeProvider time,
    ILogger<ModelLoaderService> logger) : BackgroundService
{
    private readonly ResiliencePipeline _retry = CheckpointRetry.Create(time);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        models.SetLoading("model is loading");
        IPainPredictor predictor;
        try
        {
            // The face detector (Haar cascade file, OpenCV native library) is built now, so a missing or broken one
            // shows in /health/ready at start-up instead of failing every request.
            services.GetRequiredService<Predictions.IFacePreparer>();
        }
        catch (Exception e)
        {
            models.SetFailed($"face detector failed to load: {e.GetBaseException().Message}");
            LogLoadFailed(logger, e, models.Reason);
            return;
        }
        try
        {
            predictor = await _retry.ExecuteAsync(async _ => await inferenceThread.RunAsync(loader.Load).ConfigureAwait(false),
                stoppingToken).ConfigureAwait(false);
            models.SetLoading("model loaded; warming up");
            var size = predictor.InputSize;
            await inferenceThread.RunAsync(() => predictor.Predict([new float[3 * size * size]])).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            models.SetFailed($"model failed to load: {e.GetBaseException().Message}");
            metrics.ModelEvents.WithLabels("load_failed").Inc();
            LogLoadFailed(logger, e, e.Message);
            return;
        }

        var model = new ActiveModel(predictor, predictor.Descriptor);
        metrics.ModelEvents.WithLabels("load").Inc();
        metrics.SetActiveModel(model.Descriptor);
        LogLoaded(logger, model.Descriptor.Name, model.Descriptor.Version, model.Descriptor.WeightsSha256,
            model.Descriptor.Device, model.Descriptor.Scheme.ToString());
        if (model.Descriptor.Trained)
        {
            models.SetReady(model, "model loaded and warmed up");
            return;
        }

        LogUntrained(logger);
        // Fail-safe: an untrained model must never look ready to a production load balancer by accident.
        if (environment.IsProduction() && !modelOptions.Value.AllowUntrained)
        {
            models.SetRefused(model, "the untrained reference model is refused in Production (set Model:AllowUntrained=true or configure Model:CheckpointPath)");
            metrics.ModelEvents.WithLabels("refused").Inc();
            return;
        }
        models.SetReady(model, "untrained reference model loaded and warmed up: not for clinical use");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Name} {Version} loaded (sha256 {Sha256}, device {Device}, scheme {Scheme}) and warmed up")]
    private static partial void LogLoaded(ILogger logger, string name, string version, string sha256, string device, string scheme);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Serving the UNTRAINED reference model (formula weights, no checkpoint configured): not for clinical use")]
    private static partial void LogUntrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Start-up failed; the service stays not ready: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, Exception error, string reason);
}
