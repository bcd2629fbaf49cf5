namespace PainService.Api.Batching;

/// <summary>
/// A queued input was prepared for a model of another input size than the one serving when its batch ran (an
/// activation swapped models in between). The batcher fails only that input; the request prepares the image again
/// for the new model (<see cref="Predictions.PredictionService"/>). Never reaches a client as such.
/// </summary>
public sealed class InputSizeChangedException(int preparedFor, int active)
    : Exception($"The input was prepared for a {preparedFor}×{preparedFor} model; the model now serving expects {active}×{active}.")
{
    public int PreparedFor { get; } = preparedFor;

    public int Active { get; } = active;
}
