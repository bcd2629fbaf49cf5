namespace PainService.Api.Inference;

/// <summary>
/// Runs one job on a new, short-lived thread of its own. Used to load and warm up a model beside the serving one:
/// libtorch keeps per-thread state (OpenMP team, grad/inference mode, TorchSharp dispose scopes), and a module that
/// is built and warmed up entirely on one thread and only then handed over is never used by two threads at once.
/// A pool thread is not used because a load blocks for seconds and would leave libtorch state on a shared thread.
/// </summary>
public static class DedicatedThread
{
    public static Task<T> RunAsync<T>(string name, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { completion.SetResult(work()); }
            catch (Exception e) { completion.SetException(e); }
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return completion.Task;
    }
}
