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
        Assert.Throws<OperationCanceledException>(() => gate.Enter(10, cts.Token));
    }
}
