using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Tests.Golden;

namespace PainService.Vision.Tests.Detection;

public sealed class HaarFaceDetectorTests
{
    [Fact]
    public void AstronautGivesExactlyTheGoldenBox()
    {
        using var detector = new HaarFaceDetector(new VisionOptions());
        Assert.Equal([new FaceBox(177, 66, 95, 95)], detector.Detect(GoldenFiles.AstronautDecoded));
    }

    [Fact]
    public void CatPhotoHasNoFace()
    {
        var options = new VisionOptions();
        using var detector = new HaarFaceDetector(options);
        Assert.Empty(detector.Detect(new ImageDecoder(options).Decode(GoldenFiles.Chelsea)));
    }

    [Fact]
    public void MissingCascadeFailsAtConstructionWithThePath()
    {
        var ex = Assert.Throws<FileNotFoundException>(() =>
            new HaarFaceDetector(new VisionOptions { CascadePath = "/nonexistent/cascade.xml" }));
        Assert.Contains("/nonexistent/cascade.xml", ex.Message);
    }

    [Fact]
    public void EmptyOrGarbageCascadeFailsAtConstruction()
    {
        var path = Path.GetTempFileName();
        try
        {
            Assert.Throws<InvalidDataException>(() => new HaarDetectorPool(new VisionOptions { CascadePath = path }));
            File.WriteAllText(path, "<?xml version=\"1.0\"?><opencv_storage></opencv_storage>");
            Assert.Throws<InvalidDataException>(() => new HaarFaceDetector(new VisionOptions { CascadePath = path }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ImageWhoseBufferDoesNotMatchItsSizeIsRefusedBeforeOpenCvReadsIt()
    {
        using var detector = new HaarFaceDetector(new VisionOptions());
        Assert.Throws<ArgumentException>(() => detector.Detect(new DecodedImage(new byte[100], 64, 64)));
    }

    [Fact]
    public void ResultsAreLargestFirst()
    {
        var ordered = HaarFaceDetector.Order([new FaceBox(0, 0, 30, 30), new FaceBox(5, 9, 80, 80), new FaceBox(1, 2, 80, 80)]);
        Assert.Equal([new FaceBox(1, 2, 80, 80), new FaceBox(5, 9, 80, 80), new FaceBox(0, 0, 30, 30)], ordered);
    }

    [Fact]
    public void PoolGivesTheSequentialResultUnderConcurrency()
    {
        var options = new VisionOptions { DetectorPoolSize = 2 };
        var decoder = new ImageDecoder(options);
        var images = new[] { GoldenFiles.AstronautDecoded, decoder.Decode(GoldenFiles.Chelsea) };
        using var pool = new HaarDetectorPool(options);
        var sequential = images.Select(i => pool.Detect(i)).ToArray();

        var concurrent = new IReadOnlyList<FaceBox>[16];
        Parallel.For(0, concurrent.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => concurrent[i] = pool.Detect(images[i % 2]));

        for (var i = 0; i < concurrent.Length; i++)
            Assert.Equal(sequential[i % 2], concurrent[i]);
    }

    [Fact]
    public void LargeFrameIsSearchedDownscaledAndBoxesComeBackInFullFramePixels()
    {
        // The photo upscaled 4×: searched at 1024 px (default cap), the face must come back near 4× the golden box.
        using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(GoldenFiles.Astronaut);
        SixLabors.ImageSharp.Processing.ProcessingExtensions.Mutate(image,
            x => SixLabors.ImageSharp.Processing.ResizeExtensions.Resize(x, 2048, 2048));
        var rgb = new byte[2048 * 2048 * 3];
        image.CopyPixelDataTo(rgb);
        var frame = new DecodedImage(rgb, 2048, 2048);

        using var detector = new HaarFaceDetector(new VisionOptions());
        var boxes = detector.Detect(frame);
        Assert.Contains(boxes, b => Math.Abs(b.X - 708) <= 16 && Math.Abs(b.Y - 264) <= 16 && Math.Abs(b.Width - 380) <= 16); // measured [702,260,394,394]
        Assert.All(boxes, b => Assert.True(b.X >= 0 && b.Y >= 0 && b.X + b.Width <= 2048 && b.Y + b.Height <= 2048, $"{b}"));
    }

    [Fact]
    public async Task PoolRunsAtMostItsSizeAtOnceAndWaitersCanCancel()
    {
        using var pool = new HaarDetectorPool(new VisionOptions { DetectorPoolSize = 1 });
        // A 1024×1024 frame keeps the only detector busy for well over a second (full search ~0.6 s idle).
        using var big = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(GoldenFiles.Astronaut);
        SixLabors.ImageSharp.Processing.ProcessingExtensions.Mutate(big,
            x => SixLabors.ImageSharp.Processing.ResizeExtensions.Resize(x, 1024, 1024));
        var rgb = new byte[1024 * 1024 * 3];
        big.CopyPixelDataTo(rgb);
        var busy = new DecodedImage(rgb, 1024, 1024);

        var first = Task.Run(() => pool.Detect(busy));
        Assert.True(SpinWait.SpinUntil(() => pool.FreeSlots == 0 || first.IsCompleted, TimeSpan.FromMinutes(1)));
        Assert.False(first.IsCompleted, "the first call should still hold the only slot");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Throws<OperationCanceledException>(() => pool.Detect(GoldenFiles.AstronautDecoded, cts.Token));
        Assert.InRange(clock.ElapsedMilliseconds, 100, 5000); // it waited for the slot, not failed at once
        Assert.False(first.IsCompleted, "the slot holder was still running when the waiter gave up");
        Assert.NotEmpty(await first);
        Assert.Equal([new FaceBox(177, 66, 95, 95)], pool.Detect(GoldenFiles.AstronautDecoded, CancellationToken.None));
    }
}
