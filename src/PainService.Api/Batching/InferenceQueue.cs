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
    private int _admitted;
    private volatile bool _closing;

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

    /// <summary>True once shutdown began: no new request is admitted (those already admitted still get queued).</summary>
    public bool IsClosed => _closing;

    /// <summary>
    /// Admits a request at the door (before its body is read), or returns null once shutdown began. The queue is
    /// completed only after every admitted request has been disposed, so requests already in progress at SIGTERM
    /// are queued, run and answered — never refused half-way.
    /// </summary>
    public IDisposable? TryAdmit()
    {
        Interlocked.Increment(ref _admitted);
        if (!_closing)
            return new Admission(this);
        Leave();
        return null;
    }

    private sealed class Admission(InferenceQueue queue) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                queue.Leave();
        }
    }

    private void Leave()
    {
        if (Interlocked.Decrement(ref _admitted) == 0 && _closing)
            _channel.Writer.TryComplete();
    }

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

    /// <summary>Stops admitting requests; the reader drains what is (and is about to be) queued, then completes.</summary>
    public void Close()
    {
        _closing = true;
        if (Volatile.Read(ref _admitted) == 0)
            _channel.Writer.TryComplete();
    }
}
