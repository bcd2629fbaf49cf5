namespace PainService.Model.Inference;

/// <summary>
/// Tensor-free inference API. Inputs are preprocessed images: float32 CHW, 3×InputSize×InputSize,
/// ImageNet-normalised (spec §3.3). Not thread-safe: call from one thread (the batching service's).
/// </summary>
public interface IPainPredictor : IDisposable
{
    ModelDescriptor Descriptor { get; }

    /// <summary>Side length of the square input the model expects (172 for the paper's model).</summary>
    int InputSize { get; }

    /// <summary>Runs one forward pass over the whole batch; result i belongs to input i.</summary>
    IReadOnlyList<PainPrediction> Predict(IReadOnlyList<float[]> inputs);
}
