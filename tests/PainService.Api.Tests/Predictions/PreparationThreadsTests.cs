using Microsoft.Extensions.Options;
using PainService.Api.Batching;
using PainService.Api.Vision;

namespace PainService.Api.Tests.Predictions;

public sealed class PreparationThreadsTests
{
    private static PreparationThreads Threads(int count) =>
        new(Options.Create(new BatchingOptions { MaxConcurrentPreparations = count }));

    [Fact]
    public async Task WorkRunsOnTheDedicatedThreadsAndNeverOnTheThreadPool()
    {
        using var threads = Threads(2);
        var where = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            threads.RunAsync(() => (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name), CancellationToken.None)));

        Assert.Equal(2, threads.Count);
        Assert.All(where, w => Assert.False(w.IsThreadPoolThread));
        Assert.All(where, w => Assert.Matches("^prepare-[01]$", w.Name));
    }

    [Fact]
    public async Task AtMostOneItemPerThreadRunsAtOnce()
    {
        using var threads = Threads(1);
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        var first = threads.RunAsync(() => { firstStarted.Set(); releaseFirst.Wait(); return 1; }, CancellationToken.None);
        firstStarted.Wait();
        var second = threads.RunAsync(() => 2, CancellationToken.None);

        Assert.False(second.IsCompleted); // queued behind the first on the only thread
        releaseFirst.Set();
        var results = await Task.WhenAll(first, second);
        Assert.Equal(new[] { 1, 2 }, results);
    }

    [Fact]
    public async Task WorkWhoseCallerCancelledWhileQueuedIsSkipped()
    {
        using var threads = Threads(1);
        using var releaseFirst = new ManualResetEventSlim();
        var blocker = threads.RunAsync(() => releaseFirst.Wait(TimeSpan.FromMinutes(1)), CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var ran = false;
        var queued = threads.RunAsync(() => ran = true, cancel.Token);

        await cancel.CancelAsync();
        releaseFirst.Set();
        await blocker;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.False(ran);
    }

    [Fact]
    public async Task AnExceptionReachesTheCallerAndTheThreadKeepsServing()
    {
        using var threads = Threads(1);
        var failed = threads.RunAsync<int>(() => throw new InvalidDataException("corrupt frame"), CancellationToken.None);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => failed);
        Assert.Equal("corrupt frame", e.Message);
        Assert.Equal(42, await threads.RunAsync(() => 42, CancellationToken.None));
    }

    [Fact]
    public void WorkAfterShutdownIsRefusedClearly()
    {
        var threads = Threads(1);
        threads.Dispose();
        // Refused synchronously, at the call, not as a faulted task someone might never await.
        var refused = Record.Exception(() => { _ = threads.RunAsync(() => 1, CancellationToken.None); });
        Assert.IsType<ObjectDisposedException>(refused);
    }
}
