using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Pipeline;
using PainService.Vision.Tests.Decoding;
using PainService.Vision.Tests.Golden;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PainService.Vision.Tests.Pipeline;

public sealed class FacePipelineTests : IDisposable
{
    private readonly HaarDetectorPool _detector = new(new VisionOptions());

    private FacePipeline Pipeline(VisionOptions? options = null)
    {
        options ??= new VisionOptions();
        return new FacePipeline(new ImageDecoder(options), _detector, options);
    }

    private static ImageRejection Rejection(Action run) => Assert.Throws<ImageRejectedException>(run).Reason;

    [Fact]
    public void CatPhotoIsNoFace() =>
        Assert.Equal(ImageRejection.NoFace, Rejection(() => Pipeline().Run(GoldenFiles.Chelsea)));

    [Fact]
    public void FaceUnderTheMinimumIsFaceTooSmall()
    {
        // The astronaut's face is 95 px.
        var ex = Assert.Throws<ImageRejectedException>(() => Pipeline(new VisionOptions { MinFaceSize = 96 }).Run(GoldenFiles.Astronaut));
        Assert.Equal(ImageRejection.FaceTooSmall, ex.Reason);
        Assert.Contains("95×95", ex.Message);
        Assert.Single(Pipeline(new VisionOptions { MinFaceSize = 95 }).Run(GoldenFiles.Astronaut).Faces);
    }

    [Fact]
    public async Task RunAsyncGivesTheSameFaceAndInputAsRun()
    {
        var sync = Assert.Single(Pipeline().Run(GoldenFiles.Astronaut).Faces);
        var async = Assert.Single((await Pipeline().RunAsync(GoldenFiles.Astronaut)).Faces);
        Assert.Equal(new FaceBox(177, 66, 95, 95), async.Box);
        Assert.Equal(sync.Input, async.Input);
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => Pipeline().RunAsync(GoldenFiles.Chelsea));
        Assert.Equal(ImageRejection.NoFace, ex.Reason);
    }

    [Fact]
    public void DecodeRejectionsPassThrough() =>
        Assert.Equal(ImageRejection.Empty, Rejection(() => Pipeline().Run(ReadOnlyMemory<byte>.Empty)));

    [Fact]
    public void TwoFacesGiveTheLargestOrBothLargestFirst()
    {
        var bytes = TwoAstronauts();
        var largest = Assert.Single(Pipeline().Run(bytes).Faces);

        var all = Pipeline().Run(bytes, FacePolicy.All);
        Assert.Equal((1024, 512), (all.ImageWidth, all.ImageHeight));
        Assert.Equal(2, all.Faces.Count);
        Assert.Equal(largest.Box, all.Faces[0].Box);
        Assert.Equal(largest.Input, all.Faces[0].Input);
        Assert.True(all.Faces[0].Box.Area > all.Faces[1].Box.Area);
        Assert.True(all.Faces[0].Box.X < 512 && all.Faces[1].Box.X >= 512, "the full-size copy is on the left");
        Assert.Equal(2, Pipeline(new VisionOptions { FacePolicy = FacePolicy.All }).Run(bytes).Faces.Count);
    }

    [Fact]
    public void ChooseDropsFacesUnderTheMinimumAndKeepsTheOrder()
    {
        var pipeline = Pipeline(new VisionOptions { MinFaceSize = 50 });
        FaceBox big = new(0, 0, 120, 120), mid = new(200, 0, 60, 60), small = new(300, 0, 40, 40);
        Assert.Equal([big, mid], pipeline.Choose([big, mid, small], FacePolicy.All));
        Assert.Equal([big], pipeline.Choose([big, mid, small], FacePolicy.Largest));
    }

    [Fact]
    public void LargeFrameIsDetectedOnAScaledCopyAndCroppedAtFullResolution()
    {
        using var photo = Image.Load<Rgb24>(GoldenFiles.Astronaut);
        photo.Mutate(x => x.Resize(2048, 2048));
        var result = Pipeline().Run(TestImages.Encode(photo, new PngEncoder()), FacePolicy.All);

        Assert.Equal((2048, 2048), (result.ImageWidth, result.ImageHeight));
        // Searched at 1024 px: the astronaut's face comes back in full-frame pixels near 4× the golden box.
        var face = Assert.Single(result.Faces, f => Math.Abs(f.Box.X - 708) <= 16 && Math.Abs(f.Box.Y - 264) <= 16
            && Math.Abs(f.Box.Width - 380) <= 16);
        Assert.Equal(3 * 172 * 172, face.Input.Length);
        Assert.All(result.Faces, f => Assert.True(f.Box.X + f.Box.Width <= 2048 && f.Box.Y + f.Box.Height <= 2048));
    }

    /// <summary>The photo at full size on the left and at 3/4 size on the right of a 1024×512 canvas.</summary>
    private static byte[] TwoAstronauts()
    {
        using var photo = Image.Load<Rgb24>(GoldenFiles.Astronaut);
        using var smaller = photo.Clone(x => x.Resize(384, 384));
        using var canvas = TestImages.Solid(1024, 512, new Rgb24(128, 128, 128));
        canvas.Mutate(x => x.DrawImage(photo, new Point(0, 0), 1f).DrawImage(smaller, new Point(576, 64), 1f));
        return TestImages.Encode(canvas, new PngEncoder());
    }

    public void Dispose() => _detector.Dispose();
}
