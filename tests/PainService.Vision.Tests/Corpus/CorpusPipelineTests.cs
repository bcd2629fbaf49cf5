using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Pipeline;

namespace PainService.Vision.Tests.Corpus;

/// <summary>Runs corpus inputs through the real pipeline (one detector pool per test class instance).</summary>
public abstract class CorpusPipelineTests : IDisposable
{
    protected static readonly FaceBox GoldenBox = new(177, 66, 95, 95);
    protected VisionOptions Options { get; } = new();
    private readonly HaarDetectorPool _detector;

    protected CorpusPipelineTests() => _detector = new HaarDetectorPool(Options);

    protected FacePipelineResult Run(byte[] bytes, VisionOptions? options = null) =>
        new FacePipeline(new ImageDecoder(options ?? Options), _detector, options ?? Options).Run(bytes);

    protected ImageRejection Reject(byte[] bytes, VisionOptions? options = null) =>
        Assert.Throws<ImageRejectedException>(() => Run(bytes, options)).Reason;

    protected static double IoU(FaceBox a, FaceBox b)
    {
        var w = Math.Min(a.X + a.Width, b.X + b.Width) - Math.Max(a.X, b.X);
        var h = Math.Min(a.Y + a.Height, b.Y + b.Height) - Math.Max(a.Y, b.Y);
        var inter = w > 0 && h > 0 ? (double)w * h : 0;
        return inter / (a.Area + b.Area - inter);
    }

    protected static void AssertNear(FaceBox expected, FaceBox actual) =>
        Assert.True(Math.Abs(actual.X - expected.X) <= 2 && Math.Abs(actual.Y - expected.Y) <= 2
            && Math.Abs(actual.Width - expected.Width) <= 2, $"expected ≈{expected}, got {actual}");

    public void Dispose()
    {
        _detector.Dispose();
        GC.SuppressFinalize(this);
    }
}
