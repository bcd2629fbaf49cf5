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
        return rows;
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
