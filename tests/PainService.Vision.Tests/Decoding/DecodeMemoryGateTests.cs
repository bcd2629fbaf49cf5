using PainService.Vision.Imaging;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace PainService.Vision.Tests.Decoding;

public sealed class DecodeMemoryGateTests
{
    [Fact]
    public void ParallelDecodesNeverExceedThePixelBudget()
    {
        using var image = TestImages.Solid(1000, 1000, new Rgb24(10, 20, 30));
        var png = TestImages.Encode(image, new PngEncoder());
        var decoder = new ImageDecoder(new VisionOptions { DecodeBudgetMegapixels = 2 });

        var sizes = new int[16];
        Parallel.For(0, sizes.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => sizes[i] = decoder.Decode(png).Width);

        Assert.All(sizes, w => Assert.Equal(1000, w));
        Assert.InRange(decoder.PeakConcurrentPixels, 1_000_000, 2_000_000);
    }

    [Fact]
    public void ImageLargerThanTheWholeBudgetStillDecodesAlone()
    {
        using var image = TestImages.Solid(600, 500, new Rgb24(10, 20, 30));
        var decoder = new ImageDecoder(new VisionOptions { DecodeBudgetMegapixels = 0.1 });
        Assert.Equal(500, decoder.Decode(TestImages.Encode(image, new PngEncoder())).Height);
        Assert.Equal(100_000, decoder.PeakConcurrentPixels);
    }

    [Fact]
    public void WaitingDecodeHonoursCancellation()
    {
        var gate = new DecodeMemoryGate(100);
        using var held = gate.Enter(100, CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() => gate.Enter(10, cts.Token));
    }

    [Fact]
    public async Task WaitersAreAdmittedInArrivalOrderSoALargeImageIsNotStarved()
    {
        var gate = new DecodeMemoryGate(100);
        var first = await gate.EnterAsync(60, CancellationToken.None);
        var large = gate.EnterAsync(100, CancellationToken.None).AsTask();
        var small = gate.EnterAsync(10, CancellationToken.None).AsTask(); // would fit, but arrived after the large one
        await Task.Delay(50);
        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted);

        first.Dispose();
        var largeLease = await large.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.False(small.IsCompleted, "the large image holds the whole budget");
        largeLease.Dispose();
        (await small.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        Assert.Equal(100, gate.PeakPixels);
    }

    [Fact]
    public async Task CancelledWaiterLeavesTheQueueAndTakesNoBudget()
    {
        var gate = new DecodeMemoryGate(100);
        var holder = await gate.EnterAsync(100, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var cancelled = gate.EnterAsync(50, cts.Token).AsTask();
        var next = gate.EnterAsync(100, CancellationToken.None).AsTask();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        holder.Dispose();
        (await next.WaitAsync(TimeSpan.FromSeconds(5))).Dispose(); // would deadlock if the cancelled 50 were held
        (await gate.EnterAsync(100, CancellationToken.None)).Dispose();
        Assert.Equal(100, gate.PeakPixels);
    }
}
