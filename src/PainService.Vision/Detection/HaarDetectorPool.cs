using System.Collections.Concurrent;
using PainService.Vision.Imaging;

namespace PainService.Vision.Detection;

/// <summary>
/// Thread-safe face detection: each call borrows a <see cref="HaarFaceDetector"/> that no other thread is using.
/// Detectors are created on demand (so N concurrent callers run N detections in parallel) and at most
/// <see cref="VisionOptions.DetectorPoolSize"/> idle ones are kept. The first is built in the constructor so a
/// missing or broken cascade fails at start-up, not on the first request.
/// </summary>
public sealed class HaarDetectorPool : IFaceDetector, IDisposable
{
    private readonly ConcurrentBag<HaarFaceDetector> _idle = [];
    private readonly VisionOptions _options;
    private volatile bool _disposed;

    public HaarDetectorPool(VisionOptions options)
    {
        _options = options;
        _idle.Add(new HaarFaceDetector(options));
    }

    public IReadOnlyList<FaceBox> Detect(DecodedImage image)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var detector = _idle.TryTake(out var d) ? d : new HaarFaceDetector(_options);
        try
        {
            return detector.Detect(image);
        }
        finally
        {
            if (_disposed || _idle.Count >= Math.Max(1, _options.DetectorPoolSize))
                detector.Dispose();
            else
                _idle.Add(detector);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var detector))
            detector.Dispose();
    }
}
