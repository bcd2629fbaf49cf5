using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PainService.Api.Batching;

namespace PainService.Api.Vision;

/// <summary>
/// Dedicated threads for decode + detect, one per preparation slot. That work is CPU-bound for 100–400 ms per frame;
/// on the thread pool it would hold the pool's few threads (its minimum is one per core) and every health probe,
/// metrics scrape and request read would wait for the pool to inject more, which it does slowly: seconds under
/// load. Here the pool stays free for I/O, and the callers only await.
/// </summary>
public sealed class PreparationThreads : IDisposable
{
    // A decode + detect in flight at shutdown usually ends within this; one that does not is abandoned.
    internal static readonly TimeSpan JoinFloor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan JoinCap = TimeSpan.FromSeconds(30);

    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread[] _threads;
    private readonly ShutdownDrain? _drain;

    public PreparationThreads(IOptions<BatchingOptions> options, ShutdownDrain? drain = null)
    {
        _drain = drain;
        _threads = Enumerable.Range(0, options.Value.ConcurrentPreparations)
            .Select(i => new Thread(Loop) { IsBackground = true, Name = $"prepare-{i}" })
            .ToArray();
        foreach (var thread in _threads)
            thread.Start();
    }

    public int Count => _threads.Length;

    /// <summary>Runs <paramref name="work"/> on one of the threads; a token cancelled before it starts skips it.</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellation)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add(() =>
            {
                if (cancellation.IsCancellationRequested)
                {
                    result.TrySetCanceled(cancellation);
                    return;
                }
                try
                {
                    result.TrySetResult(work());
                }
                catch (OperationCanceledException e) when (cancellation.IsCancellationRequested)
                {
                    result.TrySetCanceled(e.CancellationToken);
                }
                catch (Exception e)
                {
                    result.TrySetException(e);
                }
            });
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(PreparationThreads)); // added after shutdown began
        }
        return result.Task;
    }

    private void Loop()
    {
        foreach (var item in _work.GetConsumingEnumerable())
            item();
    }

    /// <summary>
    /// Lets the threads finish what is queued (work whose caller gave up is skipped), waiting for all of them at most
    /// what is left of the drain time (<see cref="ShutdownDrain.DisposalBudget"/>). A thread still busy then is
    /// abandoned (a background thread: it does not hold the process), and the queue is left undisposed so it can
    /// still end its loop cleanly.
    /// </summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        var budget = _drain?.DisposalBudget(JoinFloor, JoinCap) ?? JoinCap;
        var until = Environment.TickCount64 + (long)budget.TotalMilliseconds;
        var joined = true;
        foreach (var thread in _threads)
            joined &= thread.Join(TimeSpan.FromMilliseconds(Math.Max(0, until - Environment.TickCount64)));
        if (joined)
            _work.Dispose();
    }
}
