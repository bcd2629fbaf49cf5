namespace PainService.Vision.Pipeline;

/// <summary>
/// What a frame yielded: the upright (EXIF-applied) size, the chosen face(s), largest first, with their model
/// inputs, and how long each stage took in milliseconds.
/// </summary>
public sealed record FacePipelineResult(
    int ImageWidth,
    int ImageHeight,
    IReadOnlyList<FaceInput> Faces,
    double DecodeMs,
    double DetectMs,
    double PreprocessMs);
