using Microsoft.Extensions.Options;
using PainService.Api.Inference;
using PainService.Api.Observability;
using PainService.Model.Inference;
using Polly;

namespace PainService.Api.Models;

/// <summary>
/// Activates a registry version without pausing serving: the checkpoint is loaded and warmed up on a short-lived
/// thread of its own while the inference thread keeps running batches on the old model, then
/// <see cref="ModelSwapper"/> swaps the two between batches. Any failure leaves the old model active.
/// One activation at a time: a second one meanwhile gets <see cref="ActivationOutcome.Busy"/> (409) at once rather
/// than queueing behind a load that can take minutes. An accepted activation runs to its end even if the admin's
/// connection drops, so a half-loaded model is never left behind and the audit log has the outcome.
/// </summary>
public sealed partial class ModelActivator(
    ModelRegistry registry,
    IPredictorLoader loader,
    ModelSwapper swapper,
    ModelHost models,
    ServiceMetrics metrics,
    AuditLog audit,
    IHostEnvironment environment,
    IOptions<PainModelOptions> modelOptions,
    TimeProvider time,
    ILogger<ModelActivator> logger)
{
    private readonly ResiliencePipeline _loadRetry = CheckpointRetry.Create(time);

    // A load that has not finished in this time is abandoned (the admin gets an answer; the old model stays).
    internal static readonly TimeSpan LoadBudget = TimeSpan.FromMinutes(5);

    // 1 while an activation, or a load it abandoned, is still running.
    private int _busy;

    public async Task<ActivationResult> ActivateAsync(string version, string actor)
    {
        var result = await ActivateCoreAsync(version).ConfigureAwait(false);
        audit.Record(actor, "model.activate", version, $"{result.Outcome}: {result.Message}");
        return result;
    }

    private async Task<ActivationResult> ActivateCoreAsync(string version)
    {
        var entry = registry.Find(version);
        if (entry is null)
            return new(ActivationOutcome.NotFound, $"No registry checkpoint has version '{version}'.");
        if (!entry.Trained && environment.IsProduction() && !modelOptions.Value.AllowUntrained)
            return new(ActivationOutcome.Refused, "An untrained model cannot be activated in Production unless Model:AllowUntrained is true.");
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            return new(ActivationOutcome.Busy, "Another model activation is in progress; retry when it has finished.");

        var stillLoading = false;
        try
        {
            // The start-up load publishes its model without going through the swap; activating before it settles
            // would race it. Loading is only ever set before that load ends, so this check is final.
            if (models.Status == ModelStatus.Loading)
                return new(ActivationOutcome.Busy, "The start-up model load is still in progress; retry when /health/ready has settled.");
            if (models.IsReady && models.Active?.Descriptor is { } current && current.Version == entry.Version && current.WeightsSha256 == entry.WeightsSha256)
                return new(ActivationOutcome.AlreadyActive, "This version is already active.", current);

            LogLoading(logger, version);
            var loading = DedicatedThread.RunAsync("painservice-model-load", () => LoadAndWarmUp(entry.FilePath));
            IPainPredictor predictor;
            try
            {
                predictor = await loading.WaitAsync(LoadBudget).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                // The load thread cannot be aborted: keep refusing other activations until it ends, then discard it.
                stillLoading = true;
                _ = loading.ContinueWith(t =>
                {
                    if (t.IsCompletedSuccessfully)
                        t.Result.Dispose();
                    Volatile.Write(ref _busy, 0);
                }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                return LoadFailed(version, e, $"it did not finish within {LoadBudget.TotalMinutes:0} min");
            }
            catch (Exception e)
            {
                return LoadFailed(version, e, e.Message);
            }
            metrics.ModelEvents.WithLabels("load").Inc();

            var model = new ActiveModel(predictor, predictor.Descriptor);
            if (await swapper.SwapAsync(model).ConfigureAwait(false) is { } notSwapped)
            {
                metrics.ModelEvents.WithLabels("swap_failed").Inc();
                LogSwapFailed(logger, version, notSwapped);
                return new(ActivationOutcome.SwapFailed, $"Version '{version}' was loaded but not put in service; the previous model stays active: {notSwapped}");
            }
            metrics.ModelEvents.WithLabels("swap").Inc();
            metrics.SetActiveModel(model.Descriptor);
            LogActivated(logger, model.Descriptor.Version, model.Descriptor.WeightsSha256);
            return new(ActivationOutcome.Activated, "Activated.", model.Descriptor);
        }
        finally
        {
            if (!stillLoading)
                Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Runs on the load thread: the new model is built and run once there, and disposed there if that fails.</summary>
    private IPainPredictor LoadAndWarmUp(string path)
    {
        // The file was there when the registry listed it; a store remounting meanwhile is waited out, not failed.
        var predictor = _loadRetry.Execute(() => loader.LoadCheckpoint(path));
        try
        {
            var size = predictor.InputSize;
            predictor.Predict([new float[3 * size * size]]);
            return predictor;
        }
        catch
        {
            predictor.Dispose();
            throw;
        }
    }

    private ActivationResult LoadFailed(string version, Exception error, string why)
    {
        metrics.ModelEvents.WithLabels("load_failed").Inc();
        LogActivationFailed(logger, error, version);
        return new(ActivationOutcome.LoadFailed, $"Loading version '{version}' failed; the previous model stays active: {why}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading model version {Version} beside the active model")]
    private static partial void LogLoading(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model version {Version} (sha256 {Sha256}) is now active")]
    private static partial void LogActivated(ILogger logger, string version, string sha256);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model version {Version} was loaded but not swapped in: {Reason}")]
    private static partial void LogSwapFailed(ILogger logger, string version, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Activating model version {Version} failed; the previous model stays active")]
    private static partial void LogActivationFailed(ILogger logger, Exception error, string version);
}
