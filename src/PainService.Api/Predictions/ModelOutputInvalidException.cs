namespace PainService.Api.Predictions;

/// <summary>
/// The model answered an image with a non-finite number (NaN or ±infinity) in its logits, probabilities, AU scores or
/// normalised adjacency. No result can be given for that image: it is answered 500 <c>model_output_invalid</c>
/// (the server's model failed, so 5xx; not 503, since sending the same image again gives the same output).
/// </summary>
public sealed class ModelOutputInvalidException(string modelVersion, string output)
    : Exception($"Model {modelVersion} produced a non-finite value in its {output}.")
{
    public string ModelVersion { get; } = modelVersion;

    /// <summary>Which output held the non-finite value (logits, probabilities, actionUnits, normalizedAdjacency).</summary>
    public string Output { get; } = output;
}
