using System.Collections.Concurrent;
using PainService.Vision.Imaging;

namespace PainService.Vision.Detection;

/// <summary>
/// Thread-safe face detection: each call borrows a <see cref="HaarFaceDetector"/> no other thread is using.
/// At most <see cref="VisionOptions.DetectorPoolSize"/> detections run at once (default: one per core); further
/// callers wait for a free detector. More would not finish sooner on a saturated CPU, and each running cascade
/// holds a pyramid of integral images (~57 bytes per searched pixel), so the bound also bounds memory. The first
/// detector is built in the constructor so a missing or broken cascade fails at start-up, not on a request.
/// </summary>
public sealed class HaarDetectorPool : IFaceDetector, IDisposable
{
    private readonly ConcurrentBag<HaarFaceDetector> _idle = [];
    private readonly SemaphoreSlim _slots;
    private readonly VisionOptions _options;
    private volatile bool _disposed;

    public HaarDetectorPool(VisionOptions options)
    {
        _options = options;
        _slots = new SemaphoreSlim(Math.Max(1, options.DetectorPoolSize));
        _idle.Add(new HaarFaceDetector(options));
    }

    public IReadOnlyList<FaceBox> Detect(DecodedImage image) => Detect(image, CancellationToken.None);

    /// <summary>The detection slots (tests hold one to make callers wait deterministically).</summary>
    internal SemaphoreSlim Slots => _slots;

    /// <summary>Waits (cancellably) for a free detector, then detects on the calling thread.</summary>
    public IReadOnlyList<FaceBox> Detect(DecodedImage image, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _slots.Wait(cancellationToken);
        return DetectHoldingSlot(image);
    }

    /// <summary>Waits for a free detector without blocking a thread, then detects synchronously.</summary>
    public async ValueTask<IReadOnlyList<FaceBox>> DetectAsync(DecodedImage image, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return DetectHoldingSlot(image);
    }

    private IReadOnlyList<FaceBox> DetectHoldingSlot(DecodedImage image)
    {
        var detector = _idle.TryTake(out var d) ? d : new HaarFaceDetector(_options);
        try
        {
            return detector.Detect(image);
        }
        finally
        {
            if (_disposed)
                detector.Dispose();
            else
                _idle.Add(detector);
            _slots.Release();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var detector))
            detector.Dispose();
    }
}
