using PainService.Vision.Imaging;

namespace PainService.Vision.Pipeline;

/// <summary>One face of a frame and the model input built from it (float32 CHW, 3×S×S for the input size S asked for, normalised).</summary>
public sealed record FaceInput(FaceBox Box, float[] Input);
