using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using PainService.Api.Batching;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Batching;

/// <summary>Over capacity, past deadlines and during shutdown the answer is 503 + Retry-After, never a hang.</summary>
public sealed class OverloadAndShutdownTests
{
    private static ByteArrayContent Frame(float value) =>
        new(System.Text.Encoding.ASCII.GetBytes($"VALUE:{value}")) { Headers = { ContentType = new("image/png") } };

    private static async Task<PainApiFactory> StartBlockedAsync(FakePredictor predictor, params (string Key, string Value)[] settings) =>
        await StartBlockedAsync(predictor, kestrel: false, clock: null, settings);

    private static async Task<PainApiFactory> StartBlockedAsync(FakePredictor predictor, bool kestrel, TimeProvider? clock,
        params (string Key, string Value)[] settings)
    {
        var app = new PainApiFactory { Predictor = predictor, ConfigureServices = clock is null ? null : UseClock(clock) };
        foreach (var (key, value) in settings)
            app.Settings[key] = value;
        if (kestrel)
            app.UseKestrel(0); // a real server: its graceful stop (unlike TestServer's) waits for in-flight responses
        await app.StartAsync();
        predictor.Entered.Reset();
        predictor.Gate = new ManualResetEventSlim(false); // every forward after the warm-up now blocks
        return app;
    }

    /// <summary>Deadlines run on this clock: a test moves time past a timeout instead of sleeping through it.</summary>
    private static Action<IServiceCollection> UseClock(TimeProvider clock) => services =>
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton(clock);
    };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
            await Task.Delay(10);
        Assert.True(condition());
    }

    [Fact]
    public async Task FullQueueReturns503QueueFullWithRetryAfter()
    {
        var predictor = new FakePredictor();
        await using var app = await StartBlockedAsync(predictor,
            ("Batching:MaxQueueLength", "1"), ("Batching:MaxBatchSize", "1"), ("Batching:RetryAfterSeconds", "7"));
        var client = app.CreateClient();
        var queue = app.Services.GetRequiredService<InferenceQueue>();

        var first = client.PostAsync("/v1/pain/predict", Frame(1));   // taken into a batch, blocked in the forward
        Assert.True(predictor.Entered.Wait(TimeSpan.FromSeconds(10)));
        var second = client.PostAsync("/v1/pain/predict", Frame(2));  // waits in the queue
        await WaitUntilAsync(() => queue.Depth == 1);

        var third = await client.PostAsync("/v1/pain/predict", Frame(3));

        await Problems.AssertProblemAsync(third, HttpStatusCode.ServiceUnavailable, "queue_full");
        Assert.Equal("7", Assert.Single(third.Headers.GetValues("Retry-After")));
        predictor.Gate!.Set();
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second).StatusCode);
    }

    [Fact]
    public async Task PredictBatchWithFramesRefusedForAFullQueueCarriesRetryAfter()
    {
        var predictor = new FakePredictor();
        await using var app = await StartBlockedAsync(predictor,
            ("Batching:MaxQueueLength", "1"), ("Batching:MaxBatchSize", "1"), ("Batching:RetryAfterSeconds", "7"));
        var client = app.CreateClient();
        var queue = app.Services.GetRequiredService<InferenceQueue>();
        static MultipartFormDataContent Frames(params string[] images)
        {
            var content = new MultipartFormDataContent();
            for (var i = 0; i < images.Length; i++)
                content.Add(new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(images[i])), $"f{i}", "f.jpg");
            return content;
        }

        var first = client.PostAsync("/v1/pain/predict", Frame(1));   // taken into a batch, blocked in the forward
        Assert.True(predictor.Entered.Wait(TimeSpan.FromSeconds(10)));
        var second = client.PostAsync("/v1/pain/predict", Frame(2));  // fills the queue
        await WaitUntilAsync(() => queue.Depth == 1);

        var refused = await client.PostAsync("/v1/pain/predict-batch", Frames("VALUE:3", "NOFACE"));

        var text = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.OK, text);
        var frames = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("frames").EnumerateArray().ToArray();
        Assert.Equal([503, 422], frames.Select(f => f.GetProperty("status").GetInt32()));
        Assert.Equal("queue_full", frames[0].GetProperty("problem").GetProperty("code").GetString());
        Assert.Equal("7", Assert.Single(refused.Headers.GetValues("Retry-After"))); // as a single prediction's 503
        predictor.Gate!.Set();
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second).StatusCode);

        // No frame refused for capacity (a 200 and a 422): nothing to retry, no Retry-After.
        var served = await client.PostAsync("/v1/pain/predict-batch", Frames("VALUE:4", "NOFACE"));
        var servedFrames = System.Text.Json.JsonDocument.Parse(await served.Content.ReadAsStringAsync()).RootElement.GetProperty("frames");
        Assert.Equal([200, 422], servedFrames.EnumerateArray().Select(f => f.GetProperty("status").GetInt32()));
        Assert.False(served.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task RequestPastItsTimeoutReturns503RequestTimeoutAndIsNeverRun()
    {
        var predictor = new FakePredictor();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await StartBlockedAsync(predictor, kestrel: false, clock,
            ("Batching:RequestTimeout", "00:00:00.300"), ("Batching:MaxBatchSize", "1"));
        var client = app.CreateClient();
        var queue = app.Services.GetRequiredService<InferenceQueue>();
        var warmUps = predictor.Values.Count;

        var blocker = client.PostAsync("/v1/pain/predict", Frame(1));
        Assert.True(predictor.Entered.Wait(TimeSpan.FromSeconds(10)));
        var late = client.PostAsync("/v1/pain/predict", Frame(2)); // queued behind the blocked forward
        await WaitUntilAsync(() => queue.Depth == 1);
        Assert.False(late.IsCompleted); // within its 300 ms nothing answers it
        clock.Advance(TimeSpan.FromMilliseconds(301));

        var response = await late.WaitAsync(TimeSpan.FromSeconds(30));
        await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "request_timeout");
        Assert.True(response.Headers.Contains("Retry-After"));
        predictor.Gate!.Set();
        await blocker; // (itself timed out too: it waited longer than 300 ms)
        // Queued behind the expired request with batches of one: once this is answered the batcher has passed it.
        var next = await client.PostAsync("/v1/pain/predict", Frame(3));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal([1f, 3f], predictor.Values.Skip(warmUps)); // the expired request was dropped, not run
    }

    [Fact]
    public async Task ShutdownAnswersEveryQueuedRequest()
    {
        var predictor = new FakePredictor();
        await using var app = await StartBlockedAsync(predictor, kestrel: true, clock: null, ("Batching:MaxBatchSize", "2"));
        var client = app.CreateClient();
        var queue = app.Services.GetRequiredService<InferenceQueue>();

        var inFlight = client.PostAsync("/v1/pain/predict", Frame(1));
        Assert.True(predictor.Entered.Wait(TimeSpan.FromSeconds(10)));
        var queued = Enumerable.Range(2, 3).Select(v => client.PostAsync("/v1/pain/predict", Frame(v))).ToArray();
        await WaitUntilAsync(() => queue.Depth == 3);

        app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication(); // what SIGTERM does
        await WaitUntilAsync(() => queue.IsClosed);
        predictor.Gate!.Set();

        Assert.Equal(HttpStatusCode.OK, (await inFlight).StatusCode);
        foreach (var response in await Task.WhenAll(queued))
            Assert.True(response.StatusCode == HttpStatusCode.OK, app.Logs.All); // drained: answered, not dropped
        Assert.Equal(4, predictor.BatchSizes.Skip(1).Sum()); // everything queued before SIGTERM was run
    }

    [Fact]
    public async Task ShutdownRefusesNewRequestsWith503AndGoesNotReady()
    {
        var predictor = new FakePredictor();
        await using var app = await StartBlockedAsync(predictor);
        var client = app.CreateClient();

        var inFlight = client.PostAsync("/v1/pain/predict", Frame(1));
        Assert.True(predictor.Entered.Wait(TimeSpan.FromSeconds(10)));
        app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var refused = await client.PostAsync("/v1/pain/predict", Frame(9));
        var ready = await client.GetAsync("/health/ready");
        predictor.Gate!.Set();

        await Problems.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "shutting_down");
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("shutting down", await ready.Content.ReadAsStringAsync());
        _ = inFlight; // TestServer does not drain in-flight responses on stop; the Kestrel test above covers that
    }

    [Fact]
    public async Task FramesWaitingForPreparationAreBoundedByTheQueueLength()
    {
        using var gate = new ManualResetEventSlim(false);
        var preparer = new FakeFacePreparer { Gate = gate };
        await using var app = new PainApiFactory
        {
            FacePreparer = preparer,
            Settings =
            {
                ["Batching:MaxConcurrentPreparations"] = "1", ["Batching:MaxQueueLength"] = "1",
                ["Batching:RetryAfterSeconds"] = "3", ["Batching:RequestTimeout"] = "00:00:30",
            },
        };
        var client = await app.StartAsync();
        var service = app.Services.GetRequiredService<PainService.Api.Predictions.PredictionService>();

        var slow = client.PostAsync("/v1/pain/predict", new ByteArrayContent("BLOCK"u8.ToArray()) { Headers = { ContentType = new("image/png") } });
        Assert.True(preparer.Blocking.Wait(TimeSpan.FromSeconds(10))); // holds the only preparation slot
        var waiting = client.PostAsync("/v1/pain/predict", Frame(2));      // holds the one waiting place
        await WaitUntilAsync(() => service.WaitingForPreparation == 1);
        var refused = await client.PostAsync("/v1/pain/predict", Frame(3)); // no place left: refused at once

        await Problems.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "queue_full");
        Assert.Equal(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter?.Delta);
        gate.Set();
        // Both held frames are answered (200, or 503 if the one-place inference queue is still full: not asserted).
        await Task.WhenAll(slow, waiting).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, service.WaitingForPreparation);
    }

    [Fact]
    public async Task PreparationSlotsAreBoundedAndWaitingForOneCountsAgainstTheTimeout()
    {
        using var gate = new ManualResetEventSlim(false);
        var preparer = new FakeFacePreparer { Gate = gate };
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new PainApiFactory
        {
            FacePreparer = preparer,
            ConfigureServices = UseClock(clock),
            Settings = { ["Batching:MaxConcurrentPreparations"] = "1", ["Batching:RequestTimeout"] = "00:00:00.400" },
        };
        var client = await app.StartAsync();
        var service = app.Services.GetRequiredService<PainService.Api.Predictions.PredictionService>();

        var slow = client.PostAsync("/v1/pain/predict", new ByteArrayContent("BLOCK"u8.ToArray()) { Headers = { ContentType = new("image/png") } });
        Assert.True(preparer.Blocking.Wait(TimeSpan.FromSeconds(10))); // holds the only preparation slot
        var waiting = client.PostAsync("/v1/pain/predict", Frame(2));
        await WaitUntilAsync(() => service.WaitingForPreparation == 1);
        clock.Advance(TimeSpan.FromMilliseconds(399));
        var live = await client.GetAsync("/health/live"); // a frame waiting for a slot holds no thread
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.False(waiting.IsCompleted); // still inside its budget: it waits, it is not refused

        clock.Advance(TimeSpan.FromMilliseconds(2));
        var response = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "request_timeout");
        Assert.Equal(0, service.WaitingForPreparation);
        gate.Set();
        await slow;
    }
}
