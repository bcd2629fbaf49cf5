using PainService.Api.Predictions;
using PainService.Vision;
using PainService.Vision.Pipeline;

namespace PainService.Api.Vision;

/// <summary>Adapts the Vision project's thread-safe <see cref="FacePipeline"/> (pooled Haar detectors) to the API.</summary>
public sealed class VisionFacePreparer(FacePipeline pipeline) : IFacePreparer
{
    public async Task<IReadOnlyList<PreparedFace>> PrepareAsync(ReadOnlyMemory<byte> image, int inputSize, FacePolicy policy,
        CancellationToken cancellation)
    {
        // The pipeline throws NoFace/FaceTooSmall rather than return no face.
        var result = await pipeline.RunAsync(image, policy, cancellation);
        return result.Faces.Select(face =>
        {
            if (face.Input.Length != 3 * inputSize * inputSize)
                throw new InvalidOperationException(
                    $"The vision pipeline builds {face.Input.Length / 3}-pixel inputs; the model expects {inputSize}×{inputSize}.");
            // Crop and normalisation are reported under detection: both are the face step of the pipeline.
            return new PreparedFace(face.Box, face.Input, result.DecodeMs, result.DetectMs + result.PreprocessMs);
        }).ToArray();
    }
}
