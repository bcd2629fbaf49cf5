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
        // No clocks: the pool's slots are taken by the test, and what may or may not have happened is read from the
        // order of events (a waiter's await cannot complete while no slot is free; a flag set before an action is
        // seen by whatever that action caused).
        using var pool = new HaarDetectorPool(new VisionOptions { DetectorPoolSize = 2 });
        var image = GoldenFiles.AstronautDecoded;
        pool.Slots.Wait();
        pool.Slots.Wait(); // both slots taken, as by two running detections

        // A third and a fourth caller wait: taking a slot is the first thing a detection does, and none is free.
        using var cts = new CancellationTokenSource();
        var cancelledWaiter = pool.DetectAsync(image, cts.Token);
        var waiter = pool.DetectAsync(image, CancellationToken.None);
        Assert.False(cancelledWaiter.IsCompleted);
        Assert.False(waiter.IsCompleted);

        // A blocked synchronous caller gives up when, and only when, its token is cancelled.
        var cancelIssued = 0;
        using var started = new ManualResetEventSlim(false);
        var syncWaiter = Task.Run(() =>
        {
            started.Set();
            try
            {
                pool.Detect(image, cts.Token);
                return "detected while no slot was free";
            }
            catch (OperationCanceledException)
            {
                return Volatile.Read(ref cancelIssued) == 1 ? "cancelled" : "gave up before its token was cancelled";
            }
        });
        started.Wait();
        Volatile.Write(ref cancelIssued, 1);
        cts.Cancel();
        Assert.Equal("cancelled", await syncWaiter.WaitAsync(TimeSpan.FromMinutes(1)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cancelledWaiter);
        Assert.Equal(0, pool.Slots.CurrentCount); // giving up took no slot and freed none
        Assert.False(waiter.IsCompleted);

        // One slot freed: the remaining waiter runs on it, finds the face and gives the slot back.
        pool.Slots.Release();
        Assert.Equal([new FaceBox(177, 66, 95, 95)], await waiter.AsTask().WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(1, pool.Slots.CurrentCount);
        pool.Slots.Release();
        Assert.Equal(2, pool.Slots.CurrentCount);
    }
}
