using System.Diagnostics;
using OpenCvSharp;
using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Tests.Golden;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace PainService.Vision.Tests.Detection;

/// <summary>
/// The speed options must not move the box: each fast mode is compared with the unrestricted search, on the
/// golden photo and on a 640×480 frame. CPU time per detection (one OpenCV thread) is printed and compared.
/// </summary>
public sealed class DetectionSpeedTests(ITestOutputHelper output)
{
    /// <summary>
    /// Only the min-face fraction is asserted faster: it skips the pyramid's biggest levels (3–5× less CPU here).
    /// The coarse pass pays for itself only on frames much larger than its side with large faces; on these
    /// frames it is within noise of the full search, so only its exactness is asserted.
    /// </summary>
    public static TheoryData<string, double, int, bool> FastModes => new()
    {
        { "min face 12% of the frame", 0.12, 0, true },
        { "coarse pass at 320 px", 0, 320, false },
        { "coarse pass at 256 px + min face 12%", 0.12, 256, false },
    };

    [Theory]
    [MemberData(nameof(FastModes))]
    public void FastModeGivesTheFullSearchBoxes(string mode, double fraction, int coarseSide, bool assertFaster)
    {
        var frames = new[] { ("astronaut 512×512", GoldenFiles.AstronautDecoded), ("640×480 frame", Frame640X480()) };
        using var full = new HaarFaceDetector(new VisionOptions());
        using var fast = new HaarFaceDetector(new VisionOptions { MinFaceFraction = fraction, CoarseDetectionSide = coarseSide });
        var threads = Cv2.GetNumThreads();
        Cv2.SetNumThreads(1); // per-frame cost on one core, as each pooled detector runs
        try
        {
            foreach (var (name, frame) in frames)
            {
                var (expected, fullCpu, fullWall) = Measure(full, frame);
                var (actual, fastCpu, fastWall) = Measure(fast, frame);
                output.WriteLine($"{mode}, {name}: full {fullCpu:F0} ms CPU ({fullWall:F0} wall), fast {fastCpu:F0} ms CPU ({fastWall:F0} wall); {string.Join(" ", actual)}");
                Assert.Equal(expected, actual);
                if (assertFaster)
                    Assert.True(fastCpu < fullCpu, $"{mode} on {name}: {fastCpu:F0} ms vs {fullCpu:F0} ms");
            }
            Assert.Equal([new FaceBox(177, 66, 95, 95)], fast.Detect(GoldenFiles.AstronautDecoded));
        }
        finally
        {
            Cv2.SetNumThreads(threads);
        }
    }

    private static (IReadOnlyList<FaceBox> Boxes, double CpuMs, double WallMs) Measure(HaarFaceDetector detector, DecodedImage frame)
    {
        const int runs = 2;
        var boxes = detector.Detect(frame); // warm-up
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
            boxes = detector.Detect(frame);
        process.Refresh();
        return (boxes, (process.TotalProcessorTime - cpu).TotalMilliseconds / runs, wall.Elapsed.TotalMilliseconds / runs);
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
