using OpenCvSharp;
using PainService.Vision.Imaging;

namespace PainService.Vision.Detection;

/// <summary>
/// OpenCV's Haar cascade on OpenCV's own RGB→GRAY conversion (BT.601 with OpenCV's fixed-point rounding;
/// ImageSharp's greyscale uses other weights and moves the box). NOT thread-safe: a CascadeClassifier keeps
/// per-call scratch state, so one instance serves one thread at a time. Concurrent callers use
/// <see cref="HaarDetectorPool"/>.
/// </summary>
public sealed class HaarFaceDetector : IFaceDetector, IDisposable
{
    private readonly CascadeClassifier _cascade;
    private readonly VisionOptions _options;

    public HaarFaceDetector(VisionOptions options)
    {
        _options = options;
        var path = ResolveCascadePath(options.CascadePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Haar cascade not found at '{path}' (Vision:CascadePath).", path);
        if (new FileInfo(path).Length == 0)
            throw new InvalidDataException($"Haar cascade '{path}' is empty (Vision:CascadePath).");
        _cascade = new CascadeClassifier(path);
        if (_cascade.Empty())
        {
            _cascade.Dispose();
            throw new InvalidDataException($"Haar cascade '{path}' could not be parsed as an OpenCV cascade.");
        }
    }

    public IReadOnlyList<FaceBox> Detect(DecodedImage image)
    {
        using var gray = ToGray(image);
        var longer = Math.Max(image.Width, image.Height);
        if (_options.MaxDetectionSide <= 0 || longer <= _options.MaxDetectionSide)
            return Order(CascadeSearch.Run(_cascade, gray, _options).Select(r => new FaceBox(r.X, r.Y, r.Width, r.Height)));

        var scale = (double)_options.MaxDetectionSide / longer;
        using var small = new Mat();
        Cv2.Resize(gray, small, new Size(Math.Max(1, (int)Math.Round(image.Width * scale)),
            Math.Max(1, (int)Math.Round(image.Height * scale))), interpolation: InterpolationFlags.Area);
        return Order(CascadeSearch.Run(_cascade, small, _options).Select(r => BoxScaling.Scale(new FaceBox(r.X, r.Y, r.Width, r.Height), 1 / scale, image.Width, image.Height)));
    }

    internal static Mat ToGray(DecodedImage image)
    {
        // OpenCV would read past a short buffer; DecodedImage is public, so check what callers built.
        if (image.Width <= 0 || image.Height <= 0 || image.Rgb.Length != (long)image.Width * image.Height * 3)
            throw new ArgumentException($"Expected {image.Width}×{image.Height}×3 RGB bytes, got {image.Rgb.Length}.", nameof(image));
        using var rgb = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC3, image.Rgb);
        var gray = new Mat();
        Cv2.CvtColor(rgb, gray, ColorConversionCodes.RGB2GRAY);
        return gray;
    }

    internal static IReadOnlyList<FaceBox> Order(IEnumerable<FaceBox> boxes) =>
        boxes.OrderByDescending(b => b.Area).ThenBy(b => b.Y).ThenBy(b => b.X).ToArray();

    private static string ResolveCascadePath(string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);

    public void Dispose() => _cascade.Dispose();
}
