using PainService.Api.Batching;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Batching;

public sealed class BatchingServiceTests
{
    [Fact]
    public async Task OneForwardPerBatchAndEachMemberGetsItsOwnResult()
    {
        using var rig = new BatchTestRig();
        var items = new[] { 3f, 1f, 4f }.Select(v => rig.Enqueue(v)).ToArray();

        await rig.Service.RunBatchAsync(items);

        Assert.Equal([3], rig.Predictor.BatchSizes);
        foreach (var (item, value) in items.Zip(new[] { 3f, 1f, 4f }))
        {
            var result = await item.Result;
            Assert.Equal(FakePredictor.Expected([value]).Logits, result.Prediction.Logits);
            Assert.Equal(3, result.BatchSize);
            Assert.Same(rig.Predictor.Descriptor, result.Model);
        }
    }

    [Fact]
    public async Task CancelledAndExpiredItemsAreDroppedBeforeTheForward()
    {
        using var rig = new BatchTestRig();
        using var cancelled = new CancellationTokenSource();
        var keep = rig.Enqueue(1);
        var gone = rig.Enqueue(2, cancelled.Token);
        var expired = rig.Enqueue(3, timeout: TimeSpan.FromMilliseconds(10));
        cancelled.Cancel();
        rig.Time.Advance(TimeSpan.FromMilliseconds(20));

        await rig.Service.RunBatchAsync([keep, gone, expired]);

        Assert.Equal([1], rig.Predictor.BatchSizes); // only the live item reached the model
        Assert.Equal(1f, (await keep.Result).Prediction.Logits[0]);
        await Assert.ThrowsAsync<OperationCanceledException>(() => gone.Result);
        var timeout = await Assert.ThrowsAsync<ServiceUnavailableException>(() => expired.Result);
        Assert.Equal("request_timeout", timeout.Code);
    }

    [Fact]
    public async Task BatchOfOnlyCancelledItemsRunsNoForward()
    {
        using var rig = new BatchTestRig();
        using var cancelled = new CancellationTokenSource();
        var gone = rig.Enqueue(2, cancelled.Token);
        cancelled.Cancel();

        await rig.Service.RunBatchAsync([gone]);

        Assert.Equal(0, rig.Predictor.ForwardCount);
    }

    [Fact]
    public async Task ThrowingPredictorFailsEveryMemberWith503Code()
    {
        using var rig = new BatchTestRig(predictor: new FakePredictor { Throw = new InvalidOperationException("boom") });
        var items = new[] { rig.Enqueue(1), rig.Enqueue(2) };

        await rig.Service.RunBatchAsync(items);

        foreach (var item in items)
            Assert.Equal("inference_failed", (await Assert.ThrowsAsync<ServiceUnavailableException>(() => item.Result)).Code);
        Assert.True(rig.Models.IsReady); // an ordinary failure does not take the model out of service
        Assert.False(rig.Lifetime.StopRequested);
        Assert.Null(rig.Exit.Code);
    }

    [Fact]
    public async Task WedgedForwardAnswers503MarksNotReadyAndStopsTheProcess()
    {
        var gate = new ManualResetEventSlim(false);
        var options = new BatchingOptions { ForwardTimeout = TimeSpan.FromMilliseconds(200) };
        using var rig = new BatchTestRig(options, new FakePredictor { Gate = gate });
        var item = rig.Enqueue(1);

        var run = rig.Service.RunBatchAsync([item]);
        await Task.Delay(100);
        rig.Time.Advance(TimeSpan.FromMilliseconds(250));
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("inference_failed", (await Assert.ThrowsAsync<ServiceUnavailableException>(() => item.Result)).Code);
        Assert.False(rig.Models.IsReady);
        Assert.Contains("exceeded", rig.Models.Reason);
        Assert.True(rig.Lifetime.StopRequested);
        Assert.Equal(70, rig.Exit.Code); // non-zero, so systemd's Restart=on-failure restarts it
        gate.Set();
    }

    [Fact]
    public async Task ResultsNeverCrossRequestsOverManyBatchesOfVaryingSize()
    {
        using var rig = new BatchTestRig(new BatchingOptions { MaxBatchSize = 5, MaxQueueLength = 1000, MaxBatchDelay = TimeSpan.Zero });
        var loop = rig.Service.StartAsync(CancellationToken.None);
        var random = new Random(7);
        var all = new List<(float Value, PendingPrediction Item)>();
        for (var round = 0; round < 500; round++) // ~3,000 requests
        {
            var burst = random.Next(1, 12);
            for (var i = 0; i < burst; i++)
            {
                var value = all.Count + 0.25f;
                all.Add((value, rig.Enqueue(value)));
            }
            await Task.Delay(random.Next(0, 3));
        }

        foreach (var (value, item) in all)
            Assert.Equal(value, (await item.Result.WaitAsync(TimeSpan.FromSeconds(30))).Prediction.Logits[0]);
        Assert.True(all.Count > 2500, $"{all.Count} requests");
        Assert.True(rig.Predictor.BatchSizes.Distinct().Count() >= 3, "batch sizes varied");
        Assert.All(rig.Predictor.BatchSizes, size => Assert.InRange(size, 1, 5));
        Assert.Equal(all.Count, rig.Predictor.BatchSizes.Sum());
        rig.Lifetime.StopApplication();
        await rig.Service.StopAsync(CancellationToken.None);
    }
}
