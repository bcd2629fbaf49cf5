using Microsoft.Extensions.Options;
using PainService.Api.Batching;
using PainService.Api.Inference;
using PainService.Api.Observability;
using PainService.Model.Inference;

namespace PainService.Api.Models;

public enum ActivationOutcome { Activated, AlreadyActive, NotFound, Refused, LoadFailed }

public sealed record ActivationResult(ActivationOutcome Outcome, string Message, ModelDescriptor? Model = null);

/// <summary>
/// Activates a registry version: load and warm up the new model while the old one keeps serving, then swap in one
/// step on the inference thread (where forwards run, so a batch is never split across models and the old model is
/// disposed only after its last batch). Any failure leaves the old model active. One activation at a time.
/// </summary>
public sealed partial class ModelActivator(
    ModelRegistry registry,
    IPredictorLoader loader,
    InferenceThread inferenceThread,
    ModelHost models,
    ServiceMetrics metrics,
    AuditLog audit,
    IHostEnvironment environment,
    IOptions<PainModelOptions> modelOptions,
    ILogger<ModelActivator> logger)
{
    // A load that has not finished in this time is abandoned (the admin gets an answer; the old model stays).
    private static readonly TimeSpan LoadBudget = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<ActivationResult> ActivateAsync(string version, string actor, CancellationToken cancellation)
    {
        var result = await ActivateCoreAsync(version, cancellation);
        audit.Record(actor, "model.activate", version, $"{result.Outcome}: {result.Message}");
        return result;
    }

    private async Task<ActivationResult> ActivateCoreAsync(string version, CancellationToken cancellation)
    {
        var entry = registry.Find(version);
        if (entry is null)
            return new(ActivationOutcome.NotFound, $"No registry checkpoint has version '{version}'.");
        if (!entry.Trained && environment.IsProduction() && !modelOptions.Value.AllowUntrained)
            return new(ActivationOutcome.Refused, "An untrained model cannot be activated in Production unless Model:AllowUntrained is true.");

        await _oneAtATime.WaitAsync(cancellation);
        try
        {
            if (models.IsReady && models.Active?.Descriptor is { } current && current.Version == entry.Version && current.WeightsSha256 == entry.WeightsSha256)
                return new(ActivationOutcome.AlreadyActive, "This version is already active.", current);

            IPainPredictor? predictor = null;
            try
            {
                predictor = await inferenceThread.RunAsync(() => loader.LoadCheckpoint(entry.FilePath)).WaitAsync(LoadBudget, cancellation);
                var loaded = predictor;
                var size = loaded.InputSize;
                await inferenceThread.RunAsync(() => loaded.Predict([new float[3 * size * size]])).WaitAsync(LoadBudget, cancellation);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (predictor is { } failed)
                    _ = inferenceThread.RunAsync(() => { failed.Dispose(); return true; });
                metrics.ModelEvents.WithLabels("load_failed").Inc();
                LogActivationFailed(logger, e, version);
                return new(ActivationOutcome.LoadFailed, $"Loading version '{version}' failed; the previous model stays active: {e.Message}");
            }

            var model = new ActiveModel(predictor, predictor.Descriptor);
            await inferenceThread.RunAsync(() =>
            {
                var old = models.Active;
                models.SetReady(model, model.Descriptor.Trained
                    ? "model loaded and warmed up"
                    : "untrained model loaded and warmed up: not for clinical use");
                if (old is not null && !ReferenceEquals(old.Predictor, model.Predictor))
                    old.Predictor.Dispose();
                return true;
            });
            metrics.ModelEvents.WithLabels("swap").Inc();
            metrics.SetActiveModel(model.Descriptor);
            LogActivated(logger, model.Descriptor.Version, model.Descriptor.WeightsSha256);
            return new(ActivationOutcome.Activated, "Activated.", model.Descriptor);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model version {Version} (sha256 {Sha256}) is now active")]
    private static partial void LogActivated(ILogger logger, string version, string sha256);

    [LoggerMessage(Level = LogLevel.Error, Message = "Activating model version {Version} failed; the previous model stays active")]
    private static partial void LogActivationFailed(ILogger logger, Exception error, string version);
}
