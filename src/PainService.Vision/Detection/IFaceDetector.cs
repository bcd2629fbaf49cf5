using PainService.Vision.Imaging;

namespace PainService.Vision.Detection;

/// <summary>Finds faces in an upright RGB image. Implementations registered in DI must be thread-safe.</summary>
public interface IFaceDetector
{
    /// <summary>Every face found, largest first (ties: top-most, then left-most, so the order is deterministic).</summary>
    IReadOnlyList<FaceBox> Detect(DecodedImage image);

    /// <summary>As <see cref="Detect(DecodedImage)"/>; implementations that may wait for a free detector stop waiting on cancellation.</summary>
    IReadOnlyList<FaceBox> Detect(DecodedImage image, CancellationToken cancellationToken) => Detect(image);

    /// <summary>As <see cref="Detect(DecodedImage, CancellationToken)"/>, waiting for a free detector without holding a thread.</summary>
    ValueTask<IReadOnlyList<FaceBox>> DetectAsync(DecodedImage image, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Detect(image, cancellationToken));
}
