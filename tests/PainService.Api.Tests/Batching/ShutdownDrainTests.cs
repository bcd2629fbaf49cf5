using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using PainService.Api.Batching;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Batching;

/// <summary>
/// When the drain time after SIGTERM is nearly used up, requests still waiting are answered 503 shutting_down
/// (rather than cut off when the host's shutdown timeout aborts their connections); a running forward still answers.
/// </summary>
public sealed class ShutdownDrainTests
{
    private static ByteArrayContent Frame(float value) =>
        new(System.Text.Encoding.ASCII.GetBytes($"VALUE:{value}")) { Headers = { ContentType = new("image/png") } };

    [Fact]
    public async Task RequestsStillQueuedNearTheEndOfTheDrainTimeAre503ShuttingDownAndNeverRun()
    {
        var predictor = new FakePredictor();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = new PainApiFactory
        {
            Predictor = predictor,
            ConfigureServices = services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(clock);
            },
            Settings = { ["Batching:DrainTimeout"] = "00:00:08", ["Batching:MaxBatchSize"] = "1", ["Batching:RetryAfterSeconds"] = "5" },
        };
        app.UseKestrel(0); // a real server: its graceful stop waits for in-flight responses
        await using var _ = app;
        await app.StartAsync();
        var warmUps = predictor.Values.Count;
        predictor.Entered.Reset();
        predictor.Gate = new ManualResetEventSlim(false);
        var client = app.CreateClient();
        var queue = app.Services.GetRequiredService<InferenceQueue>();
        Assert.Equal(TimeSpan.FromSeconds(6), app.Services.GetRequiredService<ShutdownDrain>().AnswerBy); // 8 s less a quarter

        var running = client.PostAsync("/v1/pain/predict", Frame(1));
        Assert.True(predictor.Entered.Wait(TimeSpan.FromSeconds(10)));
        var queued = client.PostAsync("/v1/pain/predict", Frame(2));
        for (var i = 0; i < 500 && queue.Depth < 1; i++)
            await Task.Delay(10);
        Assert.Equal(1, queue.Depth);

        app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication(); // what SIGTERM does
        clock.Advance(TimeSpan.FromSeconds(5.9));
        Assert.False(queued.IsCompleted); // still inside the drain time: it waits its turn
        clock.Advance(TimeSpan.FromSeconds(0.2));

        var refused = await queued.WaitAsync(TimeSpan.FromSeconds(30));
        await Problems.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "shutting_down");
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        predictor.Gate.Set();
        Assert.Equal(HttpStatusCode.OK, (await running.WaitAsync(TimeSpan.FromSeconds(30))).StatusCode);
        await app.DisposeAsync(); // waits for the batcher to drain the queue
        Assert.Equal([1f], predictor.Values.Skip(warmUps)); // the refused request was dropped, not run
    }

    [Fact]
    public void DisposalBudgetIsWhatIsLeftOfTheDrainTimeBetweenItsFloorAndCap()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var lifetime = new BatchTestRig.TestLifetime();
        using var drain = new ShutdownDrain(lifetime, Microsoft.Extensions.Options.Options.Create(
            new BatchingOptions { DrainTimeout = TimeSpan.FromSeconds(8) }), clock);
        TimeSpan Budget() => drain.DisposalBudget(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(5), Budget()); // no shutdown yet (a disposal outside one): the cap
        clock.Advance(TimeSpan.FromSeconds(100));         // time before SIGTERM does not count
        lifetime.StopApplication();                        // SIGTERM
        Assert.Equal(TimeSpan.FromSeconds(5), Budget());  // 8 s left, capped
        clock.Advance(TimeSpan.FromSeconds(5.5));
        Assert.Equal(TimeSpan.FromSeconds(2.5), Budget()); // what is left
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(1), Budget());  // 0.5 s left: the floor
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(1), Budget());  // past the drain time: the floor
    }

    [Fact]
    public async Task ThreadsBusyPastTheDrainTimeAreAbandonedAndStillFinishCleanly()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var lifetime = new BatchTestRig.TestLifetime();
        var options = Microsoft.Extensions.Options.Options.Create(
            new BatchingOptions { DrainTimeout = TimeSpan.FromSeconds(2), MaxConcurrentPreparations = 2 });
        using var drain = new ShutdownDrain(lifetime, options, clock);
        var preparation = new PainService.Api.Vision.PreparationThreads(options, drain);
        var inference = new InferenceThread(drain);
        using var gate = new ManualResetEventSlim(false);
        using var entered = new CountdownEvent(3);
        var prepared = Enumerable.Range(0, 2).Select(i => preparation.RunAsync(() => { entered.Signal(); gate.Wait(); return i; },
            CancellationToken.None)).ToArray();
        var forward = inference.RunAsync(() => { entered.Signal(); gate.Wait(); return 9; });
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30))); // both preparation threads and the inference thread are busy
        lifetime.StopApplication();
        clock.Advance(TimeSpan.FromSeconds(3)); // the drain time is over

        preparation.Dispose(); // each waits its floor (1 s), not its cap (30 s / 5 s): the process may exit
        inference.Dispose();

        Assert.False(prepared.Any(p => p.IsCompleted) || forward.IsCompleted); // they were abandoned, still busy
        gate.Set();
        // Abandoned, not broken: the work finishes and the threads end their loops without an exception.
        Assert.Equal([0, 1], (await Task.WhenAll(prepared).WaitAsync(TimeSpan.FromSeconds(30))).Order());
        Assert.Equal(9, await forward.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
