using PainService.Vision.Imaging;

namespace PainService.Vision.Pipeline;

/// <summary>One face of a frame and the model input built from it (float32 CHW, 3×172×172, normalised).</summary>
public sealed record FaceInput(FaceBox Box, float[] Input);
