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
        pool.Slots.Wait(); // the only slot is taken: every caller must now wait, whatever the machine's speed

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Throws<OperationCanceledException>(() => pool.Detect(GoldenFiles.AstronautDecoded, cts.Token));
        Assert.True(clock.ElapsedMilliseconds >= 100, "the waiter gave up before its token was cancelled");

        var waiting = Task.Run(() => pool.Detect(GoldenFiles.AstronautDecoded));
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted, "a detection ran while the pool's only slot was taken");
        pool.Slots.Release();
        Assert.Equal([new FaceBox(177, 66, 95, 95)], await waiting.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(1, pool.Slots.CurrentCount); // the slot came back after the detection
    }
}
