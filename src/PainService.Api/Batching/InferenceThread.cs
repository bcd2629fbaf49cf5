using System.Collections.Concurrent;

namespace PainService.Api.Batching;

/// <summary>
/// The one thread that runs the serving model. libtorch's dispose scopes, grad/inference mode and thread pools are
/// thread-static, and the TorchSharp modules are not thread-safe, so the start-up load, every forward pass, every
/// model swap and every disposal of a replaced model run here, synchronously; callers await the returned task, never
/// the tensor code itself. A model activated later is built and warmed up on its own thread and only then handed
/// over here (<see cref="Models.ModelActivator"/>), so serving never waits for a load.
/// </summary>
public sealed class InferenceThread : IDisposable
{
    // A forward pass in flight at shutdown (≈ 0.5 s for a batch of 8 on two cores) ends within this.
    internal static readonly TimeSpan JoinFloor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan JoinCap = TimeSpan.FromSeconds(5);

    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private readonly ShutdownDrain? _drain;

    public InferenceThread(ShutdownDrain? drain = null)
    {
        _drain = drain;
        _thread = new Thread(Loop) { IsBackground = true, Name = "painservice-inference" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the inference thread after everything queued before it.</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add(() =>
            {
                try { completion.SetResult(work()); }
                catch (Exception e) { completion.SetException(e); }
            });
        }
        catch (InvalidOperationException e) // added after Dispose
        {
            completion.SetException(new ObjectDisposedException(nameof(InferenceThread), e));
        }
        return completion.Task;
    }

    private void Loop()
    {
        foreach (var item in _work.GetConsumingEnumerable())
            item();
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        // A wedged libtorch call cannot be aborted; do not wait for it forever on shutdown: at most what is left of
        // the drain time (at least JoinFloor, at most JoinCap), then the background thread is abandoned.
        _thread.Join(_drain?.DisposalBudget(JoinFloor, JoinCap) ?? JoinCap);
    }
}
