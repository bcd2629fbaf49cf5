using PainService.Api.Predictions;
using PainService.Vision;
using PainService.Vision.Pipeline;

namespace PainService.Api.Vision;

/// <summary>Adapts the Vision project's thread-safe <see cref="FacePipeline"/> (pooled Haar detectors) to the API.</summary>
public sealed class VisionFacePreparer(FacePipeline pipeline) : IFacePreparer
{
    public async Task<PreparedFace> PrepareAsync(ReadOnlyMemory<byte> image, int inputSize, CancellationToken cancellation)
    {
        var result = await pipeline.RunAsync(image, FacePolicy.Largest, cancellation);
        var face = result.Faces[0]; // the pipeline throws NoFace/FaceTooSmall rather than return none
        if (face.Input.Length != 3 * inputSize * inputSize)
            throw new InvalidOperationException(
                $"The vision pipeline builds {face.Input.Length / 3}-pixel inputs; the model expects {inputSize}×{inputSize}.");
        // Crop and normalisation are reported under detection: both are the face step of the pipeline.
        return new PreparedFace(face.Box, face.Input, result.DecodeMs, result.DetectMs + result.PreprocessMs);
    }
}
