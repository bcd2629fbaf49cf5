namespace PainService.Vision.Imaging;

/// <summary>
/// Bounds the pixels being decoded at once, so that a burst of large (but legal) photos cannot multiply the
/// decoder's memory: each decode holds its pixel count until it finishes, and waits while the budget is spent.
/// An image larger than the whole budget runs alone rather than never.
/// </summary>
internal sealed class DecodeMemoryGate(long budgetPixels)
{
    private readonly object _sync = new();
    private long _inFlight;

    /// <summary>Highest pixel count ever decoded at once (for tests and metrics).</summary>
    public long PeakPixels { get; private set; }

    public Lease Enter(long pixels, CancellationToken cancellationToken)
    {
        var amount = Math.Min(pixels, budgetPixels);
        lock (_sync)
        {
            while (_inFlight > 0 && _inFlight + amount > budgetPixels)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Monitor.Wait(_sync, TimeSpan.FromMilliseconds(50)); // wakes on release; the timeout re-checks cancellation
            }
            _inFlight += amount;
            PeakPixels = Math.Max(PeakPixels, _inFlight);
        }
        return new Lease(this, amount);
    }

    private void Exit(long amount)
    {
        lock (_sync)
        {
            _inFlight -= amount;
            Monitor.PulseAll(_sync);
        }
    }

    public readonly struct Lease(DecodeMemoryGate gate, long amount) : IDisposable
    {
        public void Dispose() => gate.Exit(amount);
    }
}
