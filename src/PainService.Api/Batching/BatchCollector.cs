namespace PainService.Api.Batching;

/// <summary>
/// Forms one batch: waits for the first item, then gathers more until the batch is full or the first item's age
/// reaches the delay (Triton's "oldest request versus max_queue_delay"). Time comes from <see cref="TimeProvider"/>
/// so tests drive the window with a fake clock.
/// </summary>
public sealed class BatchCollector(InferenceQueue queue, BatchingOptions options, TimeProvider time)
{
    /// <summary>The next batch (never empty), or null once the queue is closed and drained.</summary>
    public async Task<List<PendingPrediction>?> NextBatchAsync(CancellationToken cancellation)
    {
        var reader = queue.Reader;
        if (!await reader.WaitToReadAsync(cancellation).ConfigureAwait(false))
            return null;
        if (!reader.TryRead(out var first))
            return await NextBatchAsync(cancellation).ConfigureAwait(false);
        queue.MarkDequeued();

        var batch = new List<PendingPrediction>(options.MaxBatchSize) { first };
        while (batch.Count < options.MaxBatchSize)
        {
            if (reader.TryRead(out var next))
            {
                queue.MarkDequeued();
                batch.Add(next);
                continue;
            }
            var remaining = options.MaxBatchDelay - time.GetElapsedTime(first.EnqueuedTimestamp);
            if (remaining <= TimeSpan.Zero || !await WaitForMoreAsync(remaining, cancellation).ConfigureAwait(false))
                break;
        }
        return batch;
    }

    /// <summary>True when an item may be readable; false when the window closed or the queue completed.</summary>
    private async Task<bool> WaitForMoreAsync(TimeSpan remaining, CancellationToken cancellation)
    {
        using var window = new CancellationTokenSource(remaining, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(window.Token, cancellation);
        try
        {
            return await queue.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return false; // the window closed: run what we have
        }
    }
}
