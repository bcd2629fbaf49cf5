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
}
