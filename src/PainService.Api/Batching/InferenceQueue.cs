using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace PainService.Api.Batching;

/// <summary>
/// The bounded queue between request threads and the batcher. Writers never wait: a full queue is refused at once
/// (the caller answers 503), and after <see cref="Close"/> (shutdown) nothing new is accepted while what is queued
/// is still drained.
/// </summary>
public sealed class InferenceQueue
{
    private readonly Channel<PendingPrediction> _channel;
    private int _depth;

    public InferenceQueue(IOptions<BatchingOptions> options)
    {
        Capacity = options.Value.MaxQueueLength;
        _channel = Channel.CreateBounded<PendingPrediction>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite returns false instead of dropping anything
            SingleReader = true,
        });
    }

    public int Capacity { get; }

    /// <summary>Items queued and not yet taken into a batch.</summary>
    public int Depth => Volatile.Read(ref _depth);

    public bool IsClosed { get; private set; }

    public ChannelReader<PendingPrediction> Reader => _channel.Reader;

    /// <summary>Queues the item, or returns the reason it cannot be queued (<c>queue_full</c> or <c>shutting_down</c>).</summary>
    public bool TryEnqueue(PendingPrediction item, out string? refusal)
    {
        Interlocked.Increment(ref _depth);
        if (_channel.Writer.TryWrite(item))
        {
            refusal = null;
            return true;
        }
        Interlocked.Decrement(ref _depth);
        refusal = IsClosed ? Errors.ErrorCodes.ShuttingDown : Errors.ErrorCodes.QueueFull;
        return false;
    }

    /// <summary>Called by the batcher for every item it reads.</summary>
    internal void MarkDequeued() => Interlocked.Decrement(ref _depth);

    /// <summary>Stops accepting new items; the reader still drains what is queued, then completes.</summary>
    public void Close()
    {
        IsClosed = true;
        _channel.Writer.TryComplete();
    }
}
