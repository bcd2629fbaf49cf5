using PainService.Model.Inference;

namespace PainService.Api.Batching;

/// <summary>
/// One queued image: its model input, when it was queued, its deadline and its own completion source,
/// so each caller receives exactly its own result whatever batch it ends up in.
/// </summary>
/// <remarks>
/// <see cref="InputSize"/> is the input size of the model the input was prepared for. A model swap can put a model
/// of another size in service between preparation and the batch: such an input is not run but failed with
/// <see cref="InputSizeChangedException"/> (the request prepares it again). Null skips the check (tests).
/// </remarks>
public sealed class PendingPrediction
{
    private readonly TaskCompletionSource<BatchedResult> _completion =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingPrediction(float[] input, long enqueuedTimestamp, DateTimeOffset deadline, CancellationToken cancellation,
        int? inputSize = null)
    {
        Input = input;
        InputSize = inputSize;
        EnqueuedTimestamp = enqueuedTimestamp;
        Deadline = deadline;
        Cancellation = cancellation;
    }

    public float[] Input { get; }

    /// <summary>Side of the square input, as the model it was prepared for expects; null when unknown.</summary>
    public int? InputSize { get; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> at enqueue; the batch window is measured from the first item's.</summary>
    public long EnqueuedTimestamp { get; }

    public DateTimeOffset Deadline { get; }

    public CancellationToken Cancellation { get; }

    public Task<BatchedResult> Result => _completion.Task;

    public bool IsCompleted => _completion.Task.IsCompleted;

    private volatile bool _inForward;

    /// <summary>True once the batcher took this input into a forward pass, which cannot be aborted.</summary>
    public bool InForward => _inForward;

    internal void MarkInForward() => _inForward = true;

    public bool TrySucceed(BatchedResult result) => _completion.TrySetResult(result);

    public bool TryFail(Exception error) => _completion.TrySetException(error);
}

/// <summary>What the batcher hands back to one request.</summary>
/// <param name="QueueMs">Time from enqueue to the start of its forward pass.</param>
/// <param name="InferenceMs">Duration of the (shared) forward pass.</param>
public sealed record BatchedResult(PainPrediction Prediction, ModelDescriptor Model, double QueueMs, double InferenceMs, int BatchSize);
