namespace PainService.Vision.Imaging;

/// <summary>
/// Bounds the pixels being decoded (and held by the pipeline) at once, so that a burst of large but legal photos
/// cannot multiply the decoder's memory. Each caller holds its pixel count until its lease is disposed. Waiters
/// are admitted first-come first-served, so a large photo is not starved by a stream of small frames; an image
/// larger than the whole budget runs alone rather than never. Waiting is asynchronous and cancellable.
/// </summary>
internal sealed class DecodeMemoryGate(long budgetPixels)
{
    private readonly object _sync = new();
    private readonly LinkedList<Waiter> _queue = new();
    private long _inFlight;

    /// <summary>Highest pixel count ever held at once (for tests and metrics).</summary>
    public long PeakPixels { get; private set; }

    public Lease Enter(long pixels, CancellationToken cancellationToken) =>
        EnterAsync(pixels, cancellationToken).AsTask().GetAwaiter().GetResult();

    public async ValueTask<Lease> EnterAsync(long pixels, CancellationToken cancellationToken)
    {
        var amount = Math.Min(pixels, budgetPixels);
        Waiter waiter;
        lock (_sync)
        {
            if (_queue.Count == 0 && Fits(amount))
            {
                Take(amount);
                return new Lease(this, amount);
            }
            waiter = new Waiter(amount);
            waiter.Node = _queue.AddLast(waiter);
        }

        using (cancellationToken.Register(() => Abandon(waiter, cancellationToken)))
            await waiter.Admitted.Task.ConfigureAwait(false);
        return new Lease(this, amount);
    }

    private bool Fits(long amount) => _inFlight == 0 || _inFlight + amount <= budgetPixels;

    private void Take(long amount)
    {
        _inFlight += amount;
        PeakPixels = Math.Max(PeakPixels, _inFlight);
    }

    private void Abandon(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (waiter.Node?.List is null)
                return; // already admitted: the caller gets its lease and returns it as usual
            _queue.Remove(waiter.Node);
            AdmitWaiting(); // the queue head may have changed
        }
        waiter.Admitted.TrySetCanceled(cancellationToken);
    }

    private void Exit(long amount)
    {
        lock (_sync)
        {
            _inFlight -= amount;
            AdmitWaiting();
        }
    }

    /// <summary>Admits queued waiters in order while the head fits. Caller holds the lock.</summary>
    private void AdmitWaiting()
    {
        while (_queue.First is { } head && Fits(head.Value.Amount))
        {
            _queue.RemoveFirst();
            Take(head.Value.Amount);
            head.Value.Admitted.TrySetResult(); // continuations run asynchronously, never inside this lock
        }
    }

    private sealed class Waiter(long amount)
    {
        public long Amount { get; } = amount;
        public LinkedListNode<Waiter>? Node { get; set; }
        public TaskCompletionSource Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public readonly struct Lease(DecodeMemoryGate gate, long amount) : IDisposable
    {
        public void Dispose() => gate.Exit(amount);
    }
}
