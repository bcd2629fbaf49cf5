using PainService.Api.Predictions;
using PainService.Vision;
using PainService.Vision.Pipeline;

namespace PainService.Api.Vision;

/// <summary>
/// Adapts the Vision project's thread-safe <see cref="FacePipeline"/> (pooled Haar detectors) to the API; the work
/// runs on the <see cref="PreparationThreads"/>, never on the thread pool. The inputs are built at the input size of
/// the model the request was admitted for, with the worker's evaluation transform for that size.
/// </summary>
public sealed class VisionFacePreparer(FacePipeline pipeline, PreparationThreads threads) : IFacePreparer
{
    public async Task<IReadOnlyList<PreparedFace>> PrepareAsync(ReadOnlyMemory<byte> image, int inputSize, FacePolicy policy,
        CancellationToken cancellation)
    {
        // The pipeline throws NoFace/FaceTooSmall rather than return no face.
        var result = await threads.RunAsync(() => pipeline.Run(image, policy, inputSize, cancellation), cancellation);
        // Crop and normalisation are reported under detection: both are the face step of the pipeline.
        return result.Faces.Select(face => new PreparedFace(face.Box, face.Input, result.DecodeMs, result.DetectMs + result.PreprocessMs))
            .ToArray();
    }
}
