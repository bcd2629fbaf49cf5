using OpenCvSharp;
using PainService.Vision;
using PainService.Vision.Detection;
using PainService.Vision.Imaging;

namespace PainService.Bench;

internal sealed record HaarRow(string Setting, Stats Latency, string AstronautBox);

/// <summary>
/// Haar detection per 640×480 frame on one thread: the service's detector with the default configuration, then
/// OpenCV's own minimum-size option as the trade-off (speed vs. the golden astronaut box [177,66,95,95]).
/// The timed frame is astronaut.png's top 480 rows on a 640-wide grey canvas; the box is detected with the same
/// setting on the original astronaut.png, which is what the golden box refers to.
/// </summary>
internal static class HaarBench
{
    private const int FrameWidth = 640, FrameHeight = 480, OffsetX = 64;

    public static List<HaarRow> Run(string astronautPng, TimeSpan budget, Action<string> log)
    {
        Cv2.SetNumThreads(1);
        var options = new VisionOptions();
        var astronaut = new ImageDecoder(options).Decode(File.ReadAllBytes(astronautPng));
        var frame = Frame(astronaut);
        var rows = new List<HaarRow>();

        using (var detector = new HaarFaceDetector(options))
        {
            var samples = Timing.Measure(() => detector.Detect(frame), budget, warmup: 2);
            var faces = detector.Detect(astronaut);
            Rect? box = faces.Count > 0 ? new Rect(faces[0].X, faces[0].Y, faces[0].Width, faces[0].Height) : null;
            rows.Add(Row("service detector, default configuration", samples, box, log));
        }

        using var cascade = new CascadeClassifier(Path.Combine(AppContext.BaseDirectory, options.CascadePath));
        using var rgb = Mat.FromPixelData(FrameHeight, FrameWidth, MatType.CV_8UC3, frame.Rgb);
        using var gray = new Mat();
        Cv2.CvtColor(rgb, gray, ColorConversionCodes.RGB2GRAY);
        using var sourceRgb = Mat.FromPixelData(astronaut.Height, astronaut.Width, MatType.CV_8UC3, astronaut.Rgb);
        using var sourceGray = new Mat();
        Cv2.CvtColor(sourceRgb, sourceGray, ColorConversionCodes.RGB2GRAY);
        foreach (var min in new[] { 0, 40, 60, 80 })
        {
            var size = new Size(min, min);
            Rect[] Detect(Mat image) => cascade.DetectMultiScale(image, options.ScaleFactor, options.MinNeighbors, (HaarDetectionTypes)0, size);
            var samples = Timing.Measure(() => Detect(gray), budget, warmup: 2);
            var largest = Detect(sourceGray).OrderByDescending(r => r.Width * r.Height).Cast<Rect?>().FirstOrDefault();
            rows.Add(Row($"OpenCV gray only, minSize {min}", samples, largest, log));
        }
        foreach (var refine in new[] { 0.6 })
        {
            var samples = Timing.Measure(() => TwoPass(cascade, gray, options, refine), budget, warmup: 2);
            rows.Add(Row($"two-pass: half-res search, ROI refine ≥{refine:0.0}×", samples, TwoPass(cascade, sourceGray, options, refine), log));
        }
        return rows;
    }

    /// <summary>
    /// A cheap first pass on the frame halved (a quarter of the windows), then the full-resolution cascade only in a
    /// region around each hit, at scales from <paramref name="refine"/>× to 1.6× its size — the scales whose
    /// candidates group into that face's box. Faces under 48 px (twice the 24 px window) are not searched for.
    /// </summary>
    internal static Rect? TwoPass(CascadeClassifier cascade, Mat gray, VisionOptions options, double refine)
    {
        using var half = new Mat();
        Cv2.Resize(gray, half, new Size(gray.Width / 2, gray.Height / 2), 0, 0, InterpolationFlags.Area);
        var coarse = cascade.DetectMultiScale(half, options.ScaleFactor, options.MinNeighbors);
        if (coarse.Length == 0)
            return null;
        // Every coarse hit is confirmed at full resolution; a coarse false positive usually finds nothing there.
        var confirmed = new List<Rect>();
        foreach (var c in coarse)
        {
            var side = c.Width * 2;
            var x0 = Math.Max(0, c.X * 2 - side);
            var y0 = Math.Max(0, c.Y * 2 - side);
            var x1 = Math.Min(gray.Width, c.X * 2 + 2 * side);
            var y1 = Math.Min(gray.Height, c.Y * 2 + 2 * side);
            using var roi = new Mat(gray, new Rect(x0, y0, x1 - x0, y1 - y0));
            var fine = cascade.DetectMultiScale(roi, options.ScaleFactor, options.MinNeighbors, (HaarDetectionTypes)0,
                new Size((int)(side * refine), (int)(side * refine)), new Size((int)(side * 1.6), (int)(side * 1.6)));
            confirmed.AddRange(fine.Select(f => new Rect(f.X + x0, f.Y + y0, f.Width, f.Height)));
        }
        return confirmed.Count == 0 ? null : confirmed.MaxBy(r => r.Width * r.Height);
    }

    private static HaarRow Row(string setting, List<double> samples, Rect? box, Action<string> log)
    {
        var stats = Stats.Of(samples);
        var text = box is { } b ? $"[{b.X},{b.Y},{b.Width},{b.Height}]" : "none";
        log($"haar {setting,-42}: p50 {stats.P50,7:F1} ms  mean {stats.Mean,7:F1} ms  astronaut box {text}  (n={stats.Count})");
        return new HaarRow(setting, stats, text);
    }

    private static DecodedImage Frame(DecodedImage source)
    {
        var rgb = new byte[FrameWidth * FrameHeight * 3];
        Array.Fill(rgb, (byte)128);
        var rows = Math.Min(FrameHeight, source.Height);
        var cols = Math.Min(FrameWidth - OffsetX, source.Width);
        for (var y = 0; y < rows; y++)
            Array.Copy(source.Rgb, y * source.Stride, rgb, (y * FrameWidth + OffsetX) * 3, cols * 3);
        return new DecodedImage(rgb, FrameWidth, FrameHeight);
    }
}
