using PainService.Vision;
using PainService.Vision.Imaging;

namespace PainService.Api.Predictions;

/// <summary>
/// Decode → detect → crop → model input, concurrently with the model's batches (on threads of the implementation's
/// choosing, so the request thread only awaits). Throws <see cref="ImageRejectedException"/> for unusable images. Must be thread-safe.
/// </summary>
public interface IFacePreparer
{
    /// <summary>
    /// The chosen faces, largest first (one for <see cref="FacePolicy.Largest"/>).
    /// </summary>
    Task<IReadOnlyList<PreparedFace>> PrepareAsync(ReadOnlyMemory<byte> image, int inputSize, FacePolicy policy, CancellationToken cancellation);
}

/// <summary>A face ready for the model: its box in the upright image and the normalised 3×S×S input.</summary>
public sealed record PreparedFace(FaceBox Face, float[] Input, double DecodeMs, double DetectMs);
