using Microsoft.Extensions.Options;
using PainService.Api.Batching;
using PainService.Api.Errors;
using PainService.Api.Inference;
using PainService.Api.Observability;
using PainService.Vision;

namespace PainService.Api.Predictions;

/// <summary>
/// One image's way through the service: prepare the face on this request thread, queue it for the batcher,
/// wait (bounded by the request timeout) for its own result, and shape the response.
/// </summary>
public sealed partial class PredictionService(
    IServiceProvider services,
    InferenceQueue queue,
    ModelHost models,
    ServiceMetrics metrics,
    IOptions<BatchingOptions> options,
    ShutdownDrain drain,
    TimeProvider time,
    ILogger<PredictionService> logger)
{
    private readonly BatchingOptions _options = options.Value;

    // Decode + detect is CPU-bound: more of them at once than there are cores only slows every one of them and
    // starves the thread pool (health probes included). Waiting for a slot is async and counts against the deadline.
    private readonly SemaphoreSlim _preparationSlots = new(options.Value.ConcurrentPreparations);

    // Frames waiting for a preparation slot are bounded like the inference queue: past MaxQueueLength the answer is
    // an immediate 503 queue_full, not a wait that ends in request_timeout with the body held in memory.
    private int _waitingForPreparation;

    /// <summary>Throws ImageRejectedException (4xx) or ServiceUnavailableException (503).</summary>
    public async Task<PredictResponse> PredictAsync(ReadOnlyMemory<byte> image, CancellationToken cancellation) =>
        (await PredictFacesAsync(image, FacePolicy.Largest, cancellation))[0];

    /// <summary>
    /// Every chosen face of one image, largest first; the faces are queued together and share batches. The inputs are
    /// built at the input size of the model serving when preparation starts. If an activation puts a model of another
    /// input size in service before their batch runs, they are prepared again (once, within the same deadline) for
    /// that model; a second such swap during the same request answers 503 model_not_ready.
    /// </summary>
    public async Task<IReadOnlyList<PredictResponse>> PredictFacesAsync(ReadOnlyMemory<byte> image, FacePolicy policy,
        CancellationToken cancellation)
    {
        var deadline = time.GetUtcNow() + _options.RequestTimeout; // one budget for the whole request
        try
        {
            return await PredictFacesAsync(image, RequireReadyModel(), policy, deadline, cancellation);
        }
        catch (InputSizeChangedException)
        {
            try
            {
                return await PredictFacesAsync(image, RequireReadyModel(), policy, deadline, cancellation);
            }
            catch (InputSizeChangedException e)
            {
                throw new ServiceUnavailableException(ErrorCodes.ModelNotReady,
                    "The active model was replaced twice while this image was being processed; retry.", e);
            }
        }
    }

    private async Task<IReadOnlyList<PredictResponse>> PredictFacesAsync(ReadOnlyMemory<byte> image, ActiveModel model,
        FacePolicy policy, DateTimeOffset deadline, CancellationToken cancellation)
    {
        var faces = await PrepareAsync(image, model, policy, deadline, cancellation);
        var results = await Task.WhenAll(faces.Select(f => EnqueueAsync(f.Input, model.InputSize, deadline, cancellation)));
        try
        {
            return faces.Zip(results, PredictResponseMapper.ToResponse).ToArray();
        }
        catch (ModelOutputInvalidException e)
        {
            metrics.ModelEvents.WithLabels("output_invalid").Inc();
            LogOutputInvalid(logger, e.ModelVersion, e.Output);
            throw;
        }
    }

    private async Task<IReadOnlyList<PreparedFace>> PrepareAsync(ReadOnlyMemory<byte> image, ActiveModel model, FacePolicy policy,
        DateTimeOffset deadline, CancellationToken cancellation)
    {
        // The deadline's clock is the TimeProvider (as for the queue wait), not CancelAfter's system timer.
        using var expiry = new CancellationTokenSource(Remaining(deadline), time);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellation, expiry.Token, drain.Expired);
        try
        {
            await WaitForPreparationSlotAsync(budget.Token);
            try
            {
                // Resolved only once ready: readiness implies the detector was built, so a broken cascade is a 503 here.
                var faces = await services.GetRequiredService<IFacePreparer>().PrepareAsync(image, model.InputSize, policy, budget.Token);
                metrics.Decode.Observe(faces[0].DecodeMs / 1000);
                metrics.Detect.Observe(faces[0].DetectMs / 1000);
                return faces;
            }
            finally
            {
                _preparationSlots.Release();
            }
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            // The deadline passed (or shutdown's drain time ran out) while waiting for a slot, decode memory or a detector.
            throw drain.Expired.IsCancellationRequested ? ShuttingDown() : Timeout();
        }
    }

    /// <summary>Frames waiting for a preparation slot right now (diagnostics, tests).</summary>
    public int WaitingForPreparation => Volatile.Read(ref _waitingForPreparation);

    private async Task WaitForPreparationSlotAsync(CancellationToken cancellation)
    {
        if (_preparationSlots.Wait(0))
            return;
        if (Interlocked.Increment(ref _waitingForPreparation) > _options.MaxQueueLength)
        {
            Interlocked.Decrement(ref _waitingForPreparation);
            throw new ServiceUnavailableException(ErrorCodes.QueueFull, "Too many frames are waiting to be processed; retry shortly.");
        }
        try
        {
            await _preparationSlots.WaitAsync(cancellation);
        }
        finally
        {
            Interlocked.Decrement(ref _waitingForPreparation);
        }
    }

    private TimeSpan Remaining(DateTimeOffset deadline)
    {
        var left = deadline - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private static ServiceUnavailableException ShuttingDown() =>
        new(ErrorCodes.ShuttingDown, "The service is shutting down.");

    private ServiceUnavailableException Timeout() => new(ErrorCodes.RequestTimeout,
        $"No result within the request timeout ({_options.RequestTimeout.TotalSeconds:0.#} s).");

    /// <summary>
    /// Lets a request in; dispose when it is answered. Throws 503 shutting_down once shutdown began: requests
    /// admitted before that are still run (the queue stays open for them).
    /// </summary>
    public IDisposable Admit() => queue.TryAdmit()
        ?? throw new ServiceUnavailableException(ErrorCodes.ShuttingDown, "The service is shutting down.");

    /// <summary>Fails fast (before decoding) when no model may serve.</summary>
    public ActiveModel RequireReadyModel()
    {
        if (!models.IsReady || models.Active is not { } model)
            throw new ServiceUnavailableException(ErrorCodes.ModelNotReady, $"The model is not ready: {models.Reason}.");
        return model;
    }

    /// <summary>
    /// Queues one model input and waits for its own result, at most the request timeout. Throws
    /// <see cref="InputSizeChangedException"/> when the model serving at batch time expects another size than
    /// <paramref name="inputSize"/>.
    /// </summary>
    private async Task<BatchedResult> EnqueueAsync(float[] input, int inputSize, DateTimeOffset deadline,
        CancellationToken cancellation)
    {
        var pending = new PendingPrediction(input, time.GetTimestamp(), deadline, cancellation, inputSize);
        if (!queue.TryEnqueue(pending, out var refusal))
            throw new ServiceUnavailableException(refusal!, refusal == ErrorCodes.ShuttingDown
                ? "The service is shutting down."
                : "The inference queue is full; retry shortly.");
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellation, drain.Expired);
        try
        {
            try
            {
                return await pending.Result.WaitAsync(Remaining(deadline), time, waiting.Token);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested && pending.InForward)
            {
                // The drain time is nearly up, but this input's forward is already running and cannot be aborted:
                // its answer comes well within the drain's reserve.
                return await pending.Result.WaitAsync(Remaining(deadline), time, cancellation);
            }
        }
        catch (TimeoutException)
        {
            var timeout = Timeout();
            pending.TryFail(timeout); // so the batcher drops it instead of running it
            throw timeout;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            var shuttingDown = ShuttingDown(); // the drain time is nearly up: answer now rather than be cut off
            pending.TryFail(shuttingDown);
            throw shuttingDown;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Version} produced a non-finite value (NaN or infinity) in its {Output}; the image is answered 500 model_output_invalid")]
    private static partial void LogOutputInvalid(ILogger logger, string version, string output);
}
