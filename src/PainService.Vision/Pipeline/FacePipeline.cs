using System.Diagnostics;
using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Preprocessing;

namespace PainService.Vision.Pipeline;

/// <summary>
/// Bytes → model inputs: decode (upright RGB), detect, choose faces by policy, crop and transform. Thread-safe
/// when the detector is (<see cref="HaarDetectorPool"/>); meant to run on request threads, beside the model's
/// own inference thread. Failures are <see cref="ImageRejectedException"/>s only. The inputs are built for the
/// model input size asked for (<see cref="ModelInputBuilder.TestTransform"/>; 172 unless told otherwise).
/// </summary>
public sealed class FacePipeline(ImageDecoder decoder, IFaceDetector detector, VisionOptions options)
{
    public FacePipelineResult Run(ReadOnlyMemory<byte> data, FacePolicy? policy = null,
        int inputSize = ModelInputBuilder.CropSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        var start = Stopwatch.GetTimestamp();
        using var frame = decoder.DecodeFrame(data, options.MaxDetectionSide, cancellationToken);
        var decoded = Stopwatch.GetTimestamp();
        var boxes = detector.Detect(frame.ForDetection, cancellationToken);
        return Finish(frame, boxes, policy, inputSize, start, decoded);
    }

    /// <summary>
    /// As <see cref="Run"/>, but waiting for the decode budget and for a free detector without holding a thread
    /// (the CPU work itself runs synchronously on the caller's thread-pool thread). Prefer it in request handlers.
    /// </summary>
    public async Task<FacePipelineResult> RunAsync(ReadOnlyMemory<byte> data, FacePolicy? policy = null,
        int inputSize = ModelInputBuilder.CropSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        var start = Stopwatch.GetTimestamp();
        using var frame = await decoder.DecodeFrameAsync(data, options.MaxDetectionSide, cancellationToken).ConfigureAwait(false);
        var decoded = Stopwatch.GetTimestamp();
        var boxes = await detector.DetectAsync(frame.ForDetection, cancellationToken).ConfigureAwait(false);
        return Finish(frame, boxes, policy, inputSize, start, decoded);
    }

    private FacePipelineResult Finish(DecodedFrame frame, IReadOnlyList<FaceBox> found, FacePolicy? policy, int inputSize,
        long start, long decoded)
    {
        var boxes = found.Select(frame.ToFullFrame).ToArray();
        var detected = Stopwatch.GetTimestamp();
        var chosen = Choose(boxes, policy ?? options.FacePolicy);
        var faces = chosen.Select(b => new FaceInput(b, ModelInputBuilder.FromCrop(frame.Crop(b), inputSize))).ToArray();
        var built = Stopwatch.GetTimestamp();

        return new FacePipelineResult(frame.Width, frame.Height, faces,
            Stopwatch.GetElapsedTime(start, decoded).TotalMilliseconds,
            Stopwatch.GetElapsedTime(decoded, detected).TotalMilliseconds,
            Stopwatch.GetElapsedTime(detected, built).TotalMilliseconds);
    }

    /// <summary>Largest-first boxes → the ones to score, or the reason there are none.</summary>
    internal IReadOnlyList<FaceBox> Choose(IReadOnlyList<FaceBox> boxes, FacePolicy policy)
    {
        if (boxes.Count == 0)
            throw new ImageRejectedException(ImageRejection.NoFace, "No face was found in the image.");
        var minSide = options.MinFaceSize;
        var bigEnough = boxes.Where(b => Math.Min(b.Width, b.Height) >= minSide).ToArray();
        if (bigEnough.Length == 0)
            throw new ImageRejectedException(ImageRejection.FaceTooSmall,
                $"The largest face is {boxes[0].Width}×{boxes[0].Height} px; at least {minSide} px is required.");
        return policy == FacePolicy.All ? bigEnough : [bigEnough[0]];
    }
}
