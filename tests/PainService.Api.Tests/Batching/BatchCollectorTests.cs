namespace PainService.Api.Tests.Batching;

public sealed class BatchCollectorTests
{
    [Fact]
    public async Task FullBatchIsReturnedWithoutWaitingForTheDelay()
    {
        using var rig = new BatchTestRig();
        var items = Enumerable.Range(0, 6).Select(i => rig.Enqueue(i)).ToArray();

        var batch = await rig.Collector.NextBatchAsync(CancellationToken.None); // the clock never moves

        Assert.Equal(items.Take(4), batch!);
        Assert.Equal(2, rig.Queue.Depth);
    }

    [Fact]
    public async Task PartialBatchRunsWhenTheFirstItemsAgeReachesTheDelay()
    {
        using var rig = new BatchTestRig();
        var first = rig.Enqueue(1);

        var pending = rig.Collector.NextBatchAsync(CancellationToken.None);
        rig.Time.Advance(TimeSpan.FromMilliseconds(30));
        var second = rig.Enqueue(2); // joins: the window is still open
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);

        rig.Time.Advance(TimeSpan.FromMilliseconds(20)); // first item is now 50 ms old
        var batch = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([first, second], batch!);
    }

    [Fact]
    public async Task ItemArrivingAfterTheWindowClosedStartsTheNextBatch()
    {
        using var rig = new BatchTestRig();
        var first = rig.Enqueue(1);
        var pending = rig.Collector.NextBatchAsync(CancellationToken.None);
        rig.Time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal([first], (await pending.WaitAsync(TimeSpan.FromSeconds(10)))!);

        var late = rig.Enqueue(2);
        var next = rig.Collector.NextBatchAsync(CancellationToken.None);
        rig.Time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal([late], (await next.WaitAsync(TimeSpan.FromSeconds(10)))!);
    }

    [Fact]
    public async Task ClosedAndDrainedQueueEndsTheLoop()
    {
        using var rig = new BatchTestRig();
        var last = rig.Enqueue(1);
        rig.Queue.Close();

        var batch = await rig.Collector.NextBatchAsync(CancellationToken.None);
        var end = await rig.Collector.NextBatchAsync(CancellationToken.None);

        Assert.Equal([last], batch!); // what was queued before closing is still served
        Assert.Null(end);
        Assert.False(rig.Queue.TryEnqueue(new([0], 0, DateTimeOffset.MaxValue, default), out var refusal));
        Assert.Equal("shutting_down", refusal);
    }

    [Fact]
    public void FullQueueRefusesWithQueueFull()
    {
        using var rig = new BatchTestRig();
        for (var i = 0; i < rig.Options.MaxQueueLength; i++)
            rig.Enqueue(i);

        Assert.False(rig.Queue.TryEnqueue(new([0], 0, DateTimeOffset.MaxValue, default), out var refusal));
        Assert.Equal("queue_full", refusal);
        Assert.Equal(rig.Options.MaxQueueLength, rig.Queue.Depth);
    }
}
