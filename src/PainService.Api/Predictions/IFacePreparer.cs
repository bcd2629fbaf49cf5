using PainService.Vision;
using PainService.Vision.Imaging;

namespace PainService.Api.Predictions;

/// <summary>
/// Decode → detect → crop → model input, on the calling request thread (so frames are prepared concurrently while
/// the model runs batches). Throws <see cref="ImageRejectedException"/> for unusable images. Must be thread-safe.
/// </summary>
public interface IFacePreparer
{
    /// <summary>
    /// The chosen faces, largest first (one for <see cref="FacePolicy.Largest"/>). Waits (without holding a thread)
    /// for decode memory and a free detector; the CPU work runs inline.
    /// </summary>
    Task<IReadOnlyList<PreparedFace>> PrepareAsync(ReadOnlyMemory<byte> image, int inputSize, FacePolicy policy, CancellationToken cancellation);
}

/// <summary>A face ready for the model: its box in the upright image and the normalised 3×S×S input.</summary>
public sealed record PreparedFace(FaceBox Face, float[] Input, double DecodeMs, double DetectMs);
