using Microsoft.Extensions.Options;
using PainService.Api.Batching;
using PainService.Api.Errors;
using PainService.Api.Inference;
using PainService.Api.Observability;

namespace PainService.Api.Predictions;

/// <summary>
/// One image's way through the service: prepare the face on this request thread, queue it for the batcher,
/// wait (bounded by the request timeout) for its own result, and shape the response.
/// </summary>
public sealed class PredictionService(
    IServiceProvider services,
    InferenceQueue queue,
    ModelHost models,
    ServiceMetrics metrics,
    IOptions<BatchingOptions> options,
    TimeProvider time)
{
    private readonly BatchingOptions _options = options.Value;

    /// <summary>Throws ImageRejectedException (4xx) or ServiceUnavailableException (503).</summary>
    public async Task<PredictResponse> PredictAsync(ReadOnlyMemory<byte> image, CancellationToken cancellation)
    {
        var model = RequireReadyModel();
        // Resolved only once ready: readiness implies the detector was built, so a broken cascade is a 503 here.
        var face = services.GetRequiredService<IFacePreparer>().Prepare(image, model.Predictor.InputSize);
        metrics.Decode.Observe(face.DecodeMs / 1000);
        metrics.Detect.Observe(face.DetectMs / 1000);
        var result = await EnqueueAsync(face.Input, cancellation);
        return PredictResponseMapper.ToResponse(face, result);
    }

    /// <summary>Fails fast (before decoding) when no model may serve.</summary>
    public ActiveModel RequireReadyModel()
    {
        if (queue.IsClosed)
            throw new ServiceUnavailableException(ErrorCodes.ShuttingDown, "The service is shutting down.");
        if (!models.IsReady || models.Active is not { } model)
            throw new ServiceUnavailableException(ErrorCodes.ModelNotReady, $"The model is not ready: {models.Reason}.");
        return model;
    }

    /// <summary>Queues one model input and waits for its own result, at most the request timeout.</summary>
    public async Task<BatchedResult> EnqueueAsync(float[] input, CancellationToken cancellation)
    {
        var pending = new PendingPrediction(input, time.GetTimestamp(), time.GetUtcNow() + _options.RequestTimeout, cancellation);
        if (!queue.TryEnqueue(pending, out var refusal))
            throw new ServiceUnavailableException(refusal!, refusal == ErrorCodes.ShuttingDown
                ? "The service is shutting down."
                : "The inference queue is full; retry shortly.");
        try
        {
            return await pending.Result.WaitAsync(_options.RequestTimeout, time, cancellation);
        }
        catch (TimeoutException)
        {
            var timeout = new ServiceUnavailableException(ErrorCodes.RequestTimeout,
                $"No result within the request timeout ({_options.RequestTimeout.TotalSeconds:0.#} s).");
            pending.TryFail(timeout); // so the batcher drops it instead of running it
            throw timeout;
        }
    }
}
