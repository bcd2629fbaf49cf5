using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Tests.Golden;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PainService.Vision.Tests.Detection;

/// <summary>
/// The speed options must not move the box: each fast mode is compared with the unrestricted search, on the
/// golden photo and on a 640×480 frame. How much time they save is measured in bench/ (HaarBench), not here:
/// timings in unit tests only measure how busy the CI machine is.
/// </summary>
public sealed class DetectionSpeedModeTests
{
    public static TheoryData<string, double, int> FastModes => new()
    {
        { "min face 12% of the frame", 0.12, 0 },
        { "coarse pass at 320 px", 0, 320 },
        { "coarse pass at 256 px + min face 12%", 0.12, 256 },
    };

    [Theory]
    [MemberData(nameof(FastModes))]
    public void FastModeGivesTheFullSearchBoxes(string mode, double fraction, int coarseSide)
    {
        using var full = new HaarFaceDetector(new VisionOptions());
        using var fast = new HaarFaceDetector(new VisionOptions { MinFaceFraction = fraction, CoarseDetectionSide = coarseSide });
        foreach (var frame in new[] { GoldenFiles.AstronautDecoded, Frame640X480() })
            Assert.True(full.Detect(frame).SequenceEqual(fast.Detect(frame)), $"{mode} moved a box on a {frame.Width}×{frame.Height} frame");
        Assert.Equal([new FaceBox(177, 66, 95, 95)], fast.Detect(GoldenFiles.AstronautDecoded));
    }

    /// <summary>The photo scaled to 640 wide and cut to 480 high: a webcam-sized frame with the face at ≈120 px.</summary>
    private static DecodedImage Frame640X480()
    {
        using var image = Image.Load<Rgb24>(GoldenFiles.Astronaut);
        image.Mutate(x => x.Resize(640, 640).Crop(new Rectangle(0, 0, 640, 480)));
        var rgb = new byte[640 * 480 * 3];
        image.CopyPixelDataTo(rgb);
        return new DecodedImage(rgb, 640, 480);
    }
}
