using Microsoft.Extensions.Options;
using PainService.Api.Errors;
using PainService.Api.Inference;
using PainService.Api.Observability;
using Polly.Timeout;

namespace PainService.Api.Batching;

/// <summary>
/// The batcher: forms a batch, drops members that were cancelled or expired, runs ONE forward pass for the rest on
/// the inference thread, and completes each member with its own result. A failing batch fails each member with 503.
/// On shutdown the queue is closed first and this loop drains it, so every queued request is answered.
/// </summary>
public sealed partial class BatchingService(
    InferenceQueue queue,
    ForwardRunner runner,
    ModelHost models,
    ServiceMetrics metrics,
    IOptions<BatchingOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ProcessExit exit,
    ILogger<BatchingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Closing on ApplicationStopping (before hosted services stop) refuses new work while we drain the rest.
        using var _ = lifetime.ApplicationStopping.Register(queue.Close);
        var collector = new BatchCollector(queue, options.Value, time);
        while (await collector.NextBatchAsync(CancellationToken.None).ConfigureAwait(false) is { } batch)
        {
            try
            {
                await RunBatchAsync(batch).ConfigureAwait(false);
            }
            catch (Exception e) // never let one batch stop the loop
            {
                LogBatchFailed(logger, e, batch.Count);
                FailAll(batch, new ServiceUnavailableException(ErrorCodes.InferenceFailed, "The model failed on this batch.", e));
            }
        }
    }

    internal async Task RunBatchAsync(IReadOnlyList<PendingPrediction> batch)
    {
        var live = DropExpired(batch);
        if (live.Count == 0)
            return;
        if (!models.IsReady)
        {
            FailAll(live, new ServiceUnavailableException(ErrorCodes.ModelNotReady, $"The model is not ready: {models.Reason}"));
            return;
        }

        var start = time.GetTimestamp();
        var queueMs = live.Select(p => time.GetElapsedTime(p.EnqueuedTimestamp, start).TotalMilliseconds).ToArray();
        try
        {
            var (model, results) = await runner.RunAsync(() => models.Active, live).ConfigureAwait(false);
            if (results.Count != live.Count)
                throw new InvalidOperationException($"The predictor returned {results.Count} results for {live.Count} inputs.");
            var inferenceMs = time.GetElapsedTime(start).TotalMilliseconds;
            var ran = results.Count(r => r is not null);
            if (ran > 0)
            {
                metrics.Inference.Observe(inferenceMs / 1000);
                metrics.BatchSize.Observe(ran);
            }
            for (var i = 0; i < live.Count; i++)
            {
                if (results[i] is not { } prediction)
                {
                    // Prepared for the model a swap just replaced, at another input size: the request prepares it again.
                    live[i].TryFail(new InputSizeChangedException(live[i].InputSize ?? 0, model.InputSize));
                    continue;
                }
                metrics.QueueWait.Observe(queueMs[i] / 1000);
                live[i].TrySucceed(new BatchedResult(prediction, model.Descriptor, queueMs[i], inferenceMs, ran));
            }
            LogBatch(logger, ran, queueMs.Max(), inferenceMs);
        }
        catch (TimeoutRejectedException e)
        {
            // The forward is wedged inside libtorch and cannot be aborted. Callers get 503 now; the service goes
            // not-ready and the process stops with a non-zero exit code so its supervisor starts a fresh one
            // (documented in the README and docs/deploy.md).
            LogForwardTimeout(logger, e, live.Count, options.Value.ForwardTimeout);
            metrics.ModelEvents.WithLabels("forward_timeout").Inc();
            models.SetFailed($"a forward pass exceeded {options.Value.ForwardTimeout}; the process is restarting");
            FailAll(live, new ServiceUnavailableException(ErrorCodes.InferenceFailed, "The model did not answer in time.", e));
            exit.SetExitCode(ProcessExit.WedgedForward);
            lifetime.StopApplication();
        }
        catch (ServiceUnavailableException e)
        {
            FailAll(live, e);
        }
        catch (Exception e)
        {
            LogBatchFailed(logger, e, live.Count);
            FailAll(live, new ServiceUnavailableException(ErrorCodes.InferenceFailed, "The model failed on this batch.", e));
        }
    }

    /// <summary>Completes cancelled and expired members without running them; returns the rest in order.</summary>
    private List<PendingPrediction> DropExpired(IReadOnlyList<PendingPrediction> batch)
    {
        var now = time.GetUtcNow();
        var live = new List<PendingPrediction>(batch.Count);
        foreach (var item in batch)
        {
            if (item.IsCompleted)
                continue; // the caller already gave up and was answered
            if (item.Cancellation.IsCancellationRequested)
                item.TryFail(new OperationCanceledException(item.Cancellation));
            else if (now >= item.Deadline)
                item.TryFail(new ServiceUnavailableException(ErrorCodes.RequestTimeout, "The request waited longer than its timeout."));
            else
            {
                item.MarkInForward();
                live.Add(item);
                continue;
            }
            LogDropped(logger);
        }
        return live;
    }

    private static void FailAll(IEnumerable<PendingPrediction> items, Exception error)
    {
        foreach (var item in items)
            item.TryFail(error);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Batch of {Size} ran: oldest queue wait {QueueMs:F1} ms, forward {InferenceMs:F1} ms")]
    private static partial void LogBatch(ILogger logger, int size, double queueMs, double inferenceMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A queued request was cancelled or expired before its forward pass and was dropped")]
    private static partial void LogDropped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Size} failed; each member gets 503")]
    private static partial void LogBatchFailed(ILogger logger, Exception error, int size);

    [LoggerMessage(Level = LogLevel.Critical, Message = "A forward pass of {Size} images exceeded {Timeout}; marking not ready and stopping")]
    private static partial void LogForwardTimeout(ILogger logger, Exception error, int size, TimeSpan timeout);
}
